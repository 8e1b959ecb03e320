"""One incoming message -> its conversation's owner -> a dialog -> any transfers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import httpx
from sqlite_utils import Database

from .conversations import Conversation, Conversations
from .errors import ConfigError
from .handoff import (
    DEFAULT_MAX_TRANSFERS,
    IntentMatch,
    Ledger,
    TransferContext,
    TransferResult,
    new_transfer_id,
    pick_receiver,
)
from .message import IncomingClick, IncomingMessage
from .persona import DEFAULT_FALLBACK, Button, DialogFn, Persona
from .registry import Registry
from .sequencer import KeyedLocks
from .store import ContextStore, Store
from .turn import Turn

log = logging.getLogger("baton.engine")

DIALOG_ERROR = (
    "Sorry, something went wrong on my side and I couldn't finish that. Please try again."
)
TRANSFER_FAILED = (
    "Sorry, I couldn't hand you over to {skill} right now, so I'm staying with you. "
    "Could you try again in a moment, or ask me something else?"
)
WELCOME = "Hi, {display_name} here. How can I help?"


class Poster(Protocol):
    """Posts a persona's reply into a conversation (Slack, or anything that looks like it)."""

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (),
    ) -> None: ...


@dataclass
class Run:
    """The handling of one user message: its conversation and the transfers it caused."""

    message: IncomingMessage
    conversation: Conversation
    chain: list[str] = field(default_factory=list)  # owners during this message, in order


class Engine:
    """Routes each user message to its conversation's owner and carries out transfers."""

    def __init__(
        self,
        registry: Registry,
        db: Database,
        poster: Poster,
        *,
        dm_idle_timeout: float = 30 * 60,
        max_transfers: int = DEFAULT_MAX_TRANSFERS,
        http: httpx.AsyncClient | None = None,
        context: ContextStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.db = db
        self.poster = poster
        self.conversations = Conversations(db, dm_idle_timeout=dm_idle_timeout)
        self.ledger = Ledger(db)
        self.max_transfers = max_transfers
        self.http = http or httpx.AsyncClient()
        self.context = context or ContextStore(db)
        self.clock = clock
        self._locks = KeyedLocks()

    # --- one message --------------------------------------------------------

    async def handle(self, message: IncomingMessage) -> None:
        """Answer one user message; messages of one conversation run one at a time, in order."""
        async with self._locks.hold(message.sequence_key):
            conversation = self.conversations.resolve(message, self.registry.entry)
            if conversation is None:
                log.debug("ignored reply in a thread without Baton: %s", message.event_id)
                return
            owner = self.registry.persona(conversation.owner)
            run = Run(message, conversation, [owner.name])
            await self._answer(run, owner, message.text)

    async def handle_click(self, click: IncomingClick) -> None:
        """Run the ``@button`` dialog of the persona whose button was clicked."""
        message = click.as_message()
        async with self._locks.hold(message.sequence_key):
            conversation = self.conversations.latest(click.team, click.channel, click.thread_ts)
            persona = self.registry.personas.get(click.persona)
            fn = persona.button_fns.get(click.action) if persona else None
            if conversation is None or persona is None or fn is None:
                log.warning("click %s on a button nobody answers (%s.%s)", click.click_id,
                            click.persona, click.action)
                return
            run = Run(message, conversation, [persona.name])
            button = Button(click.label, click.value, click.action)
            await self._run_dialog(run, persona, fn, text=click.label, clicked=button)

    async def _answer(self, run: Run, persona: Persona, text: str) -> None:
        expected = self.conversations.take_expected(run.conversation.id, persona.name,
                                                    self.clock())
        if expected is not None:
            elsewhere = self.registry.classify(text)
            owner = self.registry.persona_for_intent(elsewhere.qualified_name) \
                if elsewhere else None
            if owner is None or owner is persona:  # not clearly another persona's request
                await self._run_dialog(run, persona, persona.answer_fns[expected], text=text)
                return
        dialog, intent = self.registry.match(persona, text)
        if dialog is not None:
            await self._run_dialog(run, persona, dialog.fn, text=text, intent=intent)
            return
        if persona.reroute and await self._reroute(run, persona, text):
            return
        await self._run_dialog(run, persona, persona.fallback_fn or _default_fallback, text=text)

    async def _reroute(self, run: Run, persona: Persona, text: str) -> bool:
        """Hand an off-topic follow-up to the skill whose intent fits it, instead of a fallback."""
        best = self.registry.classify(text)
        target = self.registry.persona_for_intent(best.qualified_name) if best else None
        if best is None or target is None or target is persona or not target.skills:
            return False
        sender = Turn(self, run, persona, text=text)
        result = await self.transfer(
            sender, target.skills[0], intent=best.qualified_name, message=text, kind="reroute"
        )
        return result.ok

    async def _run_dialog(
        self,
        run: Run,
        persona: Persona,
        fn: DialogFn,
        *,
        text: str,
        intent: IntentMatch | None = None,
        transferred: TransferContext | None = None,
        clicked: Button | None = None,
    ) -> None:
        turn = Turn(self, run, persona, text=text, intent=intent, transferred=transferred,
                    clicked=clicked)
        try:
            await fn(turn)
        except Exception:
            if transferred is not None:
                raise  # the transfer fails and the sender answers
            log.exception("dialog %s of persona %s failed", getattr(fn, "__qualname__", fn),
                          persona.name)
            await self.say(turn, DIALOG_ERROR)
            return
        for failure in turn._unanswered:
            await self._answer_failure(run, persona, turn, failure)

    async def _answer_failure(
        self, run: Run, persona: Persona, turn: Turn, failure: TransferResult
    ) -> None:
        handler = persona.transfer_failed_fn
        if handler is not None:
            failed_turn = Turn(self, run, persona, text=turn.text, intent=turn.intent,
                               transferred=turn.transferred, failed_transfer=failure)
            try:
                await handler(failed_turn)
                return
            except Exception:
                log.exception("transfer_failed handler of persona %s failed", persona.name)
        await self.say(turn, TRANSFER_FAILED.format(skill=failure.skill))

    # --- replies --------------------------------------------------------------

    async def say(self, turn: Turn, text: str, buttons: Sequence[Button] = ()) -> None:
        """Post as the turn's persona; anything said answers the turn's failed transfers."""
        persona = turn._persona
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"turn.say() got {text!r} from persona {persona.name!r}; Slack "
                             "refuses empty messages: say something, or say nothing.")
        for button in buttons:
            if button.action not in persona.button_fns:
                raise ConfigError(
                    f"button {button.label!r} of persona {persona.name!r} has action "
                    f"{button.action!r}, but there is no @{persona.name}.button({button.action!r})"
                    " dialog to answer its click; add one.")
        turn._unanswered.clear()
        transfer_id = turn.transferred.transfer_id if turn.transferred else None
        await self._post(turn._run, persona, text, transfer_id, buttons)

    async def _post(self, run: Run, persona: Persona, text: str, transfer_id: str | None,
                    buttons: Sequence[Button] = ()) -> None:
        metadata = {"persona": persona.name, "conversation": run.conversation.id}
        if transfer_id:
            metadata["transfer_id"] = transfer_id
        await self.poster.post(run.conversation, persona, text, metadata, buttons)

    async def expect(self, turn: Turn, answer: str, ttl: float) -> None:
        persona = turn._persona
        if answer not in persona.answer_fns:
            raise ConfigError(f"persona {persona.name!r} expects an answer {answer!r}, but has "
                              f"no @{persona.name}.answer({answer!r}) dialog to take it; add one.")
        if ttl <= 0:
            raise ValueError(f"turn.expect({answer!r}, ttl={ttl!r}): give seconds > 0.")
        self.conversations.expect(turn._run.conversation.id, persona.name, answer,
                                  self.clock() + ttl)

    def store_for(self, turn: Turn) -> Store:
        return Store(self.context, user=turn.user, conversation=turn.conversation)

    # --- transfers --------------------------------------------------------------

    async def transfer(
        self,
        turn: Turn,
        skill: str,
        *,
        intent: str | None = None,
        intent_id: str | None = None,
        message: str | None = None,
        notice: str | None = None,
        kind: str = "transfer",
    ) -> TransferResult:
        """Carry out ``turn.transfer``; see ``Turn.transfer`` for the rules."""
        run, sender = turn._run, turn._persona
        match: IntentMatch | None = None
        if intent is not None:
            resolved = self.registry.catalog.by_name(intent)  # unknown: names the closest
            intent_id, match = resolved.id, IntentMatch.of(resolved, 1.0)
        elif intent_id is not None:
            found = self.registry.catalog.by_id(intent_id)
            match = IntentMatch.of(found, 1.0) if found else None
        context = TransferContext(new_transfer_id(), sender.name, skill, intent_id, match, message)
        receiver, reason, target = pick_receiver(
            self.registry.skills, self.registry.fallback_skills, sender, skill,
            chain=run.chain, max_transfers=self.max_transfers)
        row = dict(
            id=context.transfer_id, conversation=run.conversation.id, from_persona=sender.name,
            to_persona=target, skill=skill, intent_id=intent_id,
            message=message, kind=kind, event_id=run.message.event_id,
        )
        if receiver is None:
            log.info("transfer %s from %s to skill %s failed: %s",
                     context.transfer_id, sender.name, skill, reason)
            self.ledger.record(status="failed", reason=reason, **row)
            return self._failed(turn, context, reason, target)
        if notice:
            await self._post(run, sender, notice, context.transfer_id)
        with self.db.atomic():
            self.conversations.set_owner(run.conversation.id, receiver.name)
            self.ledger.record(status="completed", **row)
        previous = run.conversation
        run.conversation = replace(previous, owner=receiver.name)
        run.chain.append(receiver.name)
        log.info("transfer %s: %s -> %s (skill %s)",
                 context.transfer_id, sender.name, receiver.name, skill)
        try:
            resolution = await self._start_receiver(run, receiver, context)
        except Exception as error:
            reason = f"{receiver.name} failed: {type(error).__name__}: {error}"
            log.exception("transfer %s: receiver %s failed", context.transfer_id, receiver.name)
            with self.db.atomic():
                self.conversations.set_owner(previous.id, sender.name)
                self.ledger.update(context.transfer_id, status="failed", reason=reason)
            run.conversation = replace(previous, owner=sender.name)
            return self._failed(turn, context, reason, receiver.name)
        self.ledger.update(context.transfer_id, resolution=resolution)
        return TransferResult(True, context.transfer_id, skill, receiver.name)

    def _failed(
        self, turn: Turn, context: TransferContext, reason: str, to: str | None = None
    ) -> TransferResult:
        result = TransferResult(False, context.transfer_id, context.skill, to, reason)
        turn._unanswered.append(result)
        return result

    async def _start_receiver(self, run: Run, receiver: Persona, context: TransferContext) -> str:
        """Start the receiver: intent's dialog, else its matching of the message, else welcome."""
        note = ""
        if context.intent is not None:
            dialog = receiver.dialog_for_intent(context.intent.qualified_name)
            if dialog is not None:
                await self._run_dialog(run, receiver, dialog.fn, text=context.message or
                                       run.message.text, intent=context.intent,
                                       transferred=context)
                return "intent"
            note = f"{receiver.name} has no dialog for {context.intent.qualified_name}; "
        elif context.intent_id is not None:
            note = f"intent id {context.intent_id} is unknown; "
        if context.message:
            dialog, match = self.registry.match(receiver, context.message)
            fn = dialog.fn if dialog else (receiver.fallback_fn or _default_fallback)
            await self._run_dialog(run, receiver, fn, text=context.message,
                                   intent=match if dialog else None, transferred=context)
            return note + ("message" if dialog else "message (fallback)")
        await self._run_dialog(run, receiver, receiver.welcome_fn or _default_welcome,
                               text=run.message.text, transferred=context)
        return note + "welcome"


async def _default_fallback(turn: Turn) -> None:
    await turn.say(DEFAULT_FALLBACK)


async def _default_welcome(turn: Turn) -> None:
    persona = turn._persona
    await turn.say(WELCOME.format(display_name=persona.display_name))
