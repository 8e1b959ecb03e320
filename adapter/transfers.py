"""Transfers: the rules that pick a receiver, and carrying a transfer out.

A transfer is checked (skill exists, a persona serves it and is available, no loop),
recorded in the ledger in the same transaction as the ownership change, and the
receiver starts at once, in the same event. A receiver that raises rolls it back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from .buttons import Button
from .errors import ConfigError, DeliveryError, did_you_mean
from .handoff import WAY_BACK, TransferContext, TransferRequest, TransferResult
from .humans import HumanTeam
from .intents import IntentMatch
from .persona import Dialog, DialogFn, Persona
from .registry import Registry
from .run import Run
from .storage import LedgerRow, Storage

log = logging.getLogger("baton.engine")


def pick_receiver(
    skills: Mapping[str, Sequence[Persona]],
    fallback_skills: Mapping[str, str],
    sender: Persona,
    skill: str,
    *,
    chain: Sequence[str],
    max_transfers: int,
    now: float | None = None,
) -> tuple[Persona | None, str, str | None]:
    """The transfer rules: who receives ``skill`` (the first available persona in
    registration order, a human team only within its hours at ``now``, else the fallback
    skill's), or why nobody does, and who a refused transfer would have gone to. ``chain``
    lists this message's owners so far."""
    if len(chain) - 1 >= max_transfers:
        return None, (f"loop guard: this message already caused {len(chain) - 1} transfers "
                      f"(limit {max_transfers})"), None
    if skill not in skills:
        return None, f"unknown skill {skill!r}.{did_you_mean(skill, skills)}", None
    tried: list[str] = []
    while skill and skill not in tried:
        tried.append(skill)
        available = [p for p in skills.get(skill, []) if p is not sender and p.available
                     and (now is None or not isinstance(p, HumanTeam) or p.open_at(now))]
        fresh = [p for p in available if p.name not in chain]
        if fresh:
            return fresh[0], "", fresh[0].name
        if available:
            bounce = " -> ".join([*chain, available[0].name])
            return None, (f"loop guard: {available[0].name} already had this message "
                          f"({bounce})"), available[0].name
        skill = fallback_skills.get(skill, "")
    if not any(p is not sender for s in tried for p in skills.get(s, [])):
        return None, f"{sender.name} is the only persona serving skill {tried[0]!r}", None
    closed = [p for s in tried for p in skills.get(s, []) if isinstance(p, HumanTeam)
              and p.available and now is not None and not p.open_at(now)]
    if closed and closed[0].hours is not None:
        return None, (f"{closed[0].name} is outside its hours ({closed[0].hours.describe()})"
                      ), closed[0].name
    return None, f"no persona is available for skill {' or '.join(map(repr, tried))}", None


@dataclass(frozen=True)
class Start:
    """How a receiver starts: which dialog, on what text and intent, and the ledger's
    ``resolution`` saying so. ``dialog`` None means the persona's default ``fallback`` or
    ``welcome`` (``default`` says which)."""

    dialog: DialogFn | None
    default: str
    text: str | None  # None: the message that caused the transfer
    intent: IntentMatch | None
    resolution: str


Matcher = Callable[[str], tuple[Dialog | None, IntentMatch | None]]


def receiver_start(receiver: Persona, context: TransferContext, match: Matcher) -> Start:
    """The receiver order: the intent's dialog, else the receiver's own matching of the
    message (its fallback included), else its welcome. ``match`` is the receiver's matching."""
    note = ""
    if context.intent is not None:
        dialog = receiver.dialog_for_intent(context.intent.qualified_name)
        if dialog is not None:
            return Start(dialog.fn, "", context.message, context.intent, "intent")
        note = f"{receiver.name} has no dialog for {context.intent.qualified_name}; "
    elif context.intent_id is not None:
        note = f"intent id {context.intent_id} is unknown; "
    if context.message:
        dialog, found = match(context.message)
        if dialog is not None:
            return Start(dialog.fn, "", context.message, found, note + "message")
        return Start(receiver.fallback_fn, "fallback", context.message, None,
                     note + "message (fallback)")
    return Start(receiver.welcome_fn, "welcome", None, None, note + "welcome")


class Receiving(Protocol):
    """What carrying out a transfer needs from the engine."""

    def working(self, run: Run, persona: Persona, text: str, *, brief: bool = False) -> None:
        """Show ``text`` as the Run's status under ``persona`` (in the background)."""

    def title(self, run: Run, title: str) -> None:
        """Name the conversation's agent thread (in the background)."""

    async def post(self, run: Run, persona: Persona, text: str,
                   transfer_id: str | None) -> None:
        """Post ``text`` as ``persona`` in the Run's conversation (the notice)."""

    async def start_receiver(self, run: Run, receiver: Persona,
                             context: TransferContext) -> str:
        """Run the receiver's first dialog; returns how it started (the ledger's
        ``resolution``). Raises when the receiver fails."""


class Transfers:
    """Carries out transfers for one app: its personas, its ledger, its loop guard."""

    def __init__(self, registry: Registry, storage: Storage, *, max_transfers: int,
                 receipts: bool = True) -> None:
        self.registry = registry
        self.storage = storage
        self.max_transfers = max_transfers
        self.receipts = receipts  # the receiver's first answer says whom it came from

    def context_for(self, request: TransferRequest, sender: Persona,
                    transfer_id: str) -> TransferContext:
        """The Bot Transfer Context: the intent resolved by name (an unknown name raises,
        naming the closest) or by ID, and the message."""
        match: IntentMatch | None = None
        intent_id = request.intent_id
        if request.intent is not None:
            resolved = self.registry.catalog.by_name(request.intent)
            intent_id, match = resolved.id, IntentMatch.of(resolved, 1.0)
        elif intent_id is not None:
            found = self.registry.catalog.by_id(intent_id)
            match = IntentMatch.of(found, 1.0) if found else None
        return TransferContext(transfer_id, sender.name, request.skill, intent_id, match,
                               request.message, request.note, request.agent)

    async def carry_out(self, request: TransferRequest, run: Run, sender: Persona,
                        engine: Receiving) -> TransferResult:
        """Check, record, hand over and start the receiver; a failed result says why.

        The ledger row is "started" until the receiver has finished (its replies
        delivered), then "completed"; a crash in between leaves "started", and the Run,
        run again, completes it under the same id. A failed delivery is not a failed
        transfer: it leaves the row "started" and the Run in the inbox."""
        context = self.context_for(request, sender, run.next_transfer_id())
        now = time.time()
        receiver, reason, target = pick_receiver(
            self.registry.skills, self.registry.fallback_skills, sender, request.skill,
            chain=run.chain, max_transfers=self.max_transfers, now=now)
        row = LedgerRow(
            id=context.transfer_id, conversation=run.conversation.id,
            from_persona=request.by or sender.name,
            to_persona=target, skill=request.skill, intent_id=context.intent_id,
            message=request.message, status="started" if receiver else "failed",
            reason=None if receiver else reason, kind=request.kind, resolution=None,
            event_id=run.message.event_id, created_at=now, updated_at=now)
        if receiver is None:
            log.info("transfer %s from %s to skill %s failed: %s",
                     context.transfer_id, sender.name, request.skill, reason)
            await self.storage.record_transfer(row, origin=run.origin_once())
            return TransferResult(False, context.transfer_id, request.skill, target, reason)
        if request.notice:
            await engine.post(run, sender, request.notice, context.transfer_id)
        if request.way_back:
            run.way_back = self.way_back(sender, request.way_back, context.transfer_id)
        if self.receipts and receiver.receipt:
            why = context.intent.qualified_name if context.intent else request.skill
            run.receipt = (sender.name, f"from {sender.display_name} · {why}")
        previous = run.conversation
        run.conversation = replace(previous, owner=receiver.name, expecting=None,
                                   expecting_until=None)
        await self.storage.record_transfer(row, handed=run.conversation,
                                           origin=run.origin_once())
        run.chain.append(receiver.name)
        engine.working(run, sender, f"Passing you to {receiver.display_name}…", brief=True)
        if sender.name == self.registry.entry and request.kind == "transfer":
            engine.title(run, f"{receiver.display_name}: {request.message or run.message.text}")
        log.info("transfer %s: %s -> %s (skill %s)",
                 context.transfer_id, sender.name, receiver.name, request.skill)
        try:
            resolution = await engine.start_receiver(run, receiver, context)
        except DeliveryError:
            raise
        except Exception as error:
            reason = f"{receiver.name} failed: {type(error).__name__}: {error}"
            log.exception("transfer %s: receiver %s failed", context.transfer_id, receiver.name)
            await self.storage.update_transfer(context.transfer_id, status="failed",
                                               reason=reason, owner=sender.name)
            run.conversation = replace(previous, owner=sender.name)
            return TransferResult(False, context.transfer_id, request.skill, receiver.name,
                                  reason)
        # A human team's transfer completes when someone claims it (escalation.py).
        done = {} if isinstance(receiver, HumanTeam) else {"status": "completed"}
        await self.storage.update_transfer(context.transfer_id, resolution=resolution, **done)
        return TransferResult(True, context.transfer_id, request.skill, receiver.name)

    async def reroute(self, run: Run, persona: Persona, text: str, best: IntentMatch | None,
                      engine: Receiving) -> bool:
        """Hand an off-topic follow-up to the skill whose intent (``best``) fits it, instead
        of the owner's fallback; False when none does or the transfer failed."""
        target = self.registry.persona_for_intent(best.qualified_name) if best else None
        if best is None or target is None or target is persona or not target.skills:
            return False
        request = TransferRequest(target.skills[0], intent=best.qualified_name, message=text,
                                  kind="reroute")
        return (await self.carry_out(request, run, persona, engine)).ok

    @staticmethod
    def way_back(sender: Persona, label: str, transfer_id: str) -> Button:
        """The button the receiver's first answer carries: its click runs the sender's
        ``@button("way_back")`` dialog with the transfer's id."""
        if WAY_BACK not in sender.button_fns:
            raise ConfigError(f"persona {sender.name!r} asks for a way back ({label!r}) but "
                              f"has no @{sender.name}.button({WAY_BACK!r}) dialog to answer "
                              "its click; add one, or leave way_back out.")
        return Button(label, transfer_id, WAY_BACK, persona=sender.name)

    async def undo(self, run: Run, taker: Persona, transfer_id: str) -> LedgerRow | None:
        """Give the conversation to ``taker`` from whoever owns it since ``transfer_id``
        sent it on, with a ledger row saying that transfer was not what the user meant
        (kind "misroute", with its message and intent). None when ``transfer_id`` is not a
        completed transfer of this conversation."""
        rows = await self.storage.transfers(run.conversation.id)
        undone = next((r for r in rows if r.id == transfer_id and r.status == "completed"),
                      None)
        if undone is None:
            return None
        now = time.time()
        row = LedgerRow(
            id=run.next_transfer_id(), conversation=run.conversation.id,
            from_persona=run.conversation.owner, to_persona=taker.name,
            skill=taker.skills[0] if taker.skills else taker.name, intent_id=undone.intent_id,
            message=undone.message, status="completed", reason=f"not what the user meant: "
            f"{undone.id} to skill {undone.skill}", kind="misroute", resolution=None,
            event_id=run.message.event_id, created_at=now, updated_at=now)
        run.conversation = replace(run.conversation, owner=taker.name, expecting=None,
                                   expecting_until=None)
        await self.storage.record_transfer(row, handed=run.conversation,
                                           origin=run.origin_once())
        log.info("transfer %s undone (not what the user meant): %s -> %s", transfer_id,
                 row.from_persona, taker.name)
        return undone
