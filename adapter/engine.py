"""The engine: runs each inbox entry as a Run: its owner, its dialog, its transfers."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

import httpx

from .buttons import Button
from .conversations import latest, resolve
from .deadlines import Deadlines
from .defaults import DIALOG_ERROR, TRANSFER_FAILED, default_fallback, default_welcome
from .errors import ConfigError, DeliveryError
from .handoff import DEFAULT_MAX_TRANSFERS, TransferContext, TransferRequest, TransferResult
from .intents import IntentMatch, SkillMatch
from .message import IncomingClick, IncomingMessage
from .persona import DialogFn, Persona
from .registry import RANKED, Registry
from .replies import Poster, Replies
from .run import DialogCall, Outcome, Run
from .sequencer import KeyedLocks
from .storage import Conversation, InboxEntry, LedgerRow, Storage
from .store import Store
from .transfers import Transfers, receiver_start
from .turn import Turn

log = logging.getLogger("baton.engine")
DIALOG_TIMEOUT = 15.0  # seconds a dialog may run (Slack's delays not counted)
WAIT_FOR_ROOT = 60.0  # seconds a thread reply waits for its thread's first message
Dialog = DialogFn | Callable[[Turn], Awaitable[None]]


class Engine:
    """Runs inbox entries; messages of one conversation one at a time, in order.

    It is the ``TurnHost`` of every Turn it makes and the ``Receiving`` side of every
    transfer.
    """

    def __init__(
        self, registry: Registry, storage: Storage, poster: Poster, *,
        dm_idle_timeout: float = 30 * 60, max_transfers: int = DEFAULT_MAX_TRANSFERS,
        dialog_timeout: float = DIALOG_TIMEOUT, http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.storage = storage
        self.replies = Replies(storage, poster)
        self.dm_idle_timeout = dm_idle_timeout
        self.dialog_timeout = dialog_timeout
        self.transfers = Transfers(registry, storage, max_transfers=max_transfers)
        self._http = http
        self.clock = clock
        self._locks = KeyedLocks()
        self.deadlines = Deadlines()

    @property
    def http(self) -> httpx.AsyncClient:
        """The shared HTTP client for persona backends, made on first use."""
        if self._http is None or self._http.is_closed:
            self._http = httpx.AsyncClient()
        return self._http

    async def aclose(self) -> None:
        self.deadlines.close()
        if self._http is not None:
            await self._http.aclose()

    @property
    def directory(self) -> Registry:
        return self.registry

    # --- one entry ----------------------------------------------------------------------

    async def run(self, entry: InboxEntry, *, replay: bool = False,
                  claimant: tuple[str, float] | None = None) -> Outcome:
        """Run an inbox entry to its end (or to "waiting", for a thread reply that came
        before its thread's first message); raises when a reply could not be delivered.
        ``claimant`` (owner, lease), on shared storage: claim the conversation's next entry
        as this one is finished."""
        if entry.kind == "click":
            return await self._run_click(IncomingClick(**entry.payload), entry, replay,
                                         claimant)
        message = IncomingMessage(**entry.payload)
        async with self._locks.hold(message.sequence_key):
            if entry.state is not None:  # run again as the first attempt found it
                conversation, stored = Conversation(**entry.state), True
            else:
                conversation, stored = await resolve(self.storage, message,
                                                     self.registry.entry,
                                                     dm_idle_timeout=self.dm_idle_timeout)
            if conversation is None:
                if await self._root_may_come(message, entry):
                    return Outcome(waiting=True)
                log.debug("ignored reply in a thread without Baton: %s", message.event_id)
                return Outcome(following=await self.storage.finish(
                    entry, None, float(message.ts), claimant=claimant))
            owner = self.registry.persona(conversation.owner)
            run = Run(message, conversation, key=entry.key, replay=replay, stored=stored,
                      chain=[owner.name])
            try:
                await self._answer(run, owner, message.text)
            except DeliveryError:  # keep what did get out: the next attempt skips it
                await self.storage.mark_delivered(run.posted())
                raise
            save = None if run.stored and conversation.kind != "dm" else run.conversation
            return Outcome(following=await self.storage.finish(
                entry, save, float(message.ts), claimant=claimant))

    async def run_for(self, entry: InboxEntry) -> Run | None:
        """A Run for an entry, its conversation found but nothing run (for an apology)."""
        event = IncomingClick(**entry.payload).as_message() if entry.kind == "click" \
            else IncomingMessage(**entry.payload)
        if entry.state is not None:
            conversation: Conversation | None = Conversation(**entry.state)
        else:
            conversation, _ = await resolve(self.storage, event, self.registry.entry,
                                            dm_idle_timeout=self.dm_idle_timeout)
        return Run(event, conversation, key=entry.key) if conversation else None

    async def _root_may_come(self, message: IncomingMessage, entry: InboxEntry) -> bool:
        """A reply to a thread just started, whose first message is not in (or not through
        the inbox) yet: Slack may deliver them out of order."""
        if message.thread_ts is None or self.clock() - entry.created_at > WAIT_FOR_ROOT or \
                float(message.ts) - float(message.thread_ts) > WAIT_FOR_ROOT:
            return False
        root = await self.storage.inbox_entry(
            f"post:{message.team}:{message.channel}:{message.thread_ts}")
        return root is None or root.status == "pending"

    async def _run_click(self, click: IncomingClick, entry: InboxEntry, replay: bool,
                         claimant: tuple[str, float] | None) -> Outcome:
        message = click.as_message()
        async with self._locks.hold(message.sequence_key):
            conversation = await latest(self.storage, click.team, click.channel,
                                        click.thread_ts)
            fn = self.registry.button_dialog(click.persona, click.action)
            if conversation is None or fn is None:
                log.warning("click %s on a button nobody answers (%s.%s)", click.click_id,
                            click.persona, click.action)
            else:
                persona = self.registry.personas[click.persona]
                run = Run(message, conversation, key=entry.key, click=click, replay=replay,
                          chain=[persona.name])
                await self._run_dialog(run, persona, fn, text=click.label,
                                       clicked=Button(click.label, click.value, click.action))
            return Outcome(following=await self.storage.finish(
                entry, None, float(message.ts), claimant=claimant))

    def ranked(self, run: Run, text: str) -> list[IntentMatch]:
        """Intents for ``text`` across every domain, best first: classified once per Run."""
        return run.classified(run.rankings, text, lambda: self.registry.rank(text, k=RANKED))

    def ranked_skills(self, run: Run, text: str) -> list[SkillMatch]:
        """Skills for ``text`` (whose area it is in), best first: classified once per Run."""
        return run.classified(run.skill_rankings, text, lambda: self.registry.rank_skills(text))

    def _best(self, run: Run, text: str) -> IntentMatch | None:
        ranked = self.ranked(run, text)
        return ranked[0] if ranked and ranked[0].score >= self.registry.intent_threshold \
            else None

    async def _answer(self, run: Run, persona: Persona, text: str) -> None:
        conversation = run.conversation
        expected = conversation.expected_answer(persona.name, self.clock())
        if conversation.expecting is not None:  # an open question is answered once, or lapses
            run.conversation = replace(conversation, expecting=None, expecting_until=None)
            await self.storage.set_expected(run.conversation, origin=run.origin_once())
        if expected is not None:
            elsewhere = self._best(run, text)
            owner = self.registry.persona_for_intent(elsewhere.qualified_name) \
                if elsewhere else None
            if owner is None or owner is persona:  # not clearly another persona's request
                await self._run_dialog(run, persona, persona.answer_fns[expected], text=text)
                return
        dialog, intent = self.registry.match(persona, text, lambda: self._best(run, text))
        if dialog is not None:
            await self._run_dialog(run, persona, dialog.fn, text=text, intent=intent)
            return
        if persona.reroute and await self.transfers.reroute(run, persona, text,
                                                             self._best(run, text), self):
            return
        await self._run_dialog(run, persona, persona.fallback_fn or default_fallback,
                               text=text)

    async def _run_dialog(
        self, run: Run, persona: Persona, fn: Dialog, *, text: str,
        intent: IntentMatch | None = None, transferred: TransferContext | None = None,
        clicked: Button | None = None, failed_transfer: TransferResult | None = None,
    ) -> None:
        call = DialogCall(persona.name, transfer_id=transferred.transfer_id
                          if transferred else None)
        run.calls.append(call)
        turn = Turn(self, run, call, text=text, intent=intent, transferred=transferred,
                    failed_transfer=failed_transfer, clicked=clicked)
        timeout = persona.timeout if persona.timeout is not None else self.dialog_timeout
        run.active.append(call)
        failure: Exception | None = None
        try:
            async with self.deadlines.limit(timeout) as call.deadline:
                await fn(turn)
        except DeliveryError:
            raise  # Slack, not the dialog: the Run waits in the inbox
        except Exception as error:
            if transferred is not None:
                raise  # the transfer fails and the sender answers
            failure = error
        finally:
            run.active.remove(call)
            late = call.deadline is not None and call.deadline.expired()
            call.deadline = None
        if failure is not None:
            log.error("dialog %s of persona %s %s (conversation %s, event %s)",
                      getattr(fn, "__qualname__", fn), persona.name,
                      f"ran past its {timeout:g}s" if late else "failed",
                      run.conversation.id, run.message.event_id,
                      exc_info=None if late else failure)
            await self.say(run, call, DIALOG_ERROR, ())
            return
        pending, call.unanswered = call.unanswered, []
        for failure in pending:  # failed transfers the dialog said nothing about since
            if await self._answer_failure(run, persona, turn, failure):
                break

    async def _answer_failure(self, run: Run, persona: Persona, turn: Turn,
                              failure: TransferResult) -> bool:
        """The sender's @transfer_failed dialog answers a failure (False: it did), else a
        default message (True: one apology is enough for all of them)."""
        handler = persona.transfer_failed_fn
        if handler is not None:
            await self._run_dialog(run, persona, handler, text=turn.text, intent=turn.intent,
                                   failed_transfer=failure)
            return False
        transfer_id = turn.transferred.transfer_id if turn.transferred else None
        await self.say(run, DialogCall(persona.name, transfer_id),
                       TRANSFER_FAILED.format(skill=failure.skill), ())
        return True

    # --- what a Turn asks for (TurnHost) ----------------------------------------------

    async def say(self, run: Run, call: DialogCall, text: str,
                  buttons: Sequence[Button]) -> None:
        """Post as the call's persona; anything said answers the call's failed transfers."""
        persona = self.registry.personas[call.persona]
        persona.check_reply(text, buttons, self.registry.button_dialog)
        call.unanswered.clear()
        if run.way_back is not None and run.way_back.persona != persona.name:
            buttons, run.way_back = [*buttons, run.way_back], None  # a transfer's first answer
        await self.replies.post(run, persona, text, call.transfer_id, buttons)

    async def post(self, run: Run, persona: Persona, text: str,
                   transfer_id: str | None) -> None:
        """Post a transfer's notice (``Receiving``)."""
        await self.replies.post(run, persona, text, transfer_id)

    async def expect(self, run: Run, call: DialogCall, answer: str, ttl: float) -> None:
        persona = self.registry.personas[call.persona]
        if answer not in persona.answer_fns:
            raise ConfigError(f"persona {persona.name!r} expects an answer {answer!r}, but has "
                              f"no @{persona.name}.answer({answer!r}) dialog to take it; add one.")
        if ttl <= 0:
            raise ValueError(f"turn.expect({answer!r}, ttl={ttl!r}): give seconds > 0.")
        run.conversation = replace(run.conversation, expecting=f"{persona.name}:{answer}",
                                   expecting_until=self.clock() + ttl)
        await self.storage.set_expected(run.conversation, origin=run.origin_once())

    def store(self, run: Run) -> Store:
        return Store(self.storage.context, user=run.message.user,
                     conversation=run.conversation.id)

    async def transfer(self, run: Run, call: DialogCall,
                       request: TransferRequest) -> TransferResult:
        """Carry out ``turn.transfer``; a failure is the call's to answer."""
        sender = self.registry.personas[call.persona]
        result = await self.transfers.carry_out(request, run, sender, self)
        if not result.ok:
            call.unanswered.append(result)
        return result

    async def undo_transfer(self, run: Run, call: DialogCall,
                            transfer_id: str) -> LedgerRow | None:
        """Take the conversation back for the call's persona (``Transfers.undo``)."""
        return await self.transfers.undo(run, self.registry.personas[call.persona],
                                         transfer_id)

    async def start_receiver(self, run: Run, receiver: Persona,
                             context: TransferContext) -> str:
        """Start the receiver as the transfer rules say (``receiver_start``)."""
        start = receiver_start(receiver, context, lambda text: self.registry.match(
            receiver, text, lambda: self._best(run, text)))
        fn = start.dialog or (default_fallback if start.default == "fallback"
                              else default_welcome)
        await self._run_dialog(run, receiver, fn, text=start.text or run.message.text,
                               intent=start.intent, transferred=context)
        return start.resolution

