"""The engine: opens a Run for each message, finds its owner, runs the dialog, posts."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import httpx

from .buttons import Button
from .conversations import latest, resolve
from .defaults import DIALOG_ERROR, TRANSFER_FAILED, default_fallback, default_welcome
from .errors import ConfigError
from .handoff import DEFAULT_MAX_TRANSFERS, TransferContext, TransferRequest, TransferResult
from .intents import IntentMatch
from .message import IncomingClick, IncomingMessage
from .persona import DialogFn, Persona
from .registry import RANKED, Registry
from .run import DialogCall, PostedReply, Run
from .sequencer import KeyedLocks
from .storage import Conversation, Storage
from .store import Store
from .transfers import Transfers, receiver_start
from .turn import Turn

log = logging.getLogger("baton.engine")

class Poster(Protocol):
    """Posts a persona's reply into a conversation (Slack, or anything that looks like it)."""

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (),
    ) -> None: ...


class Engine:
    """Routes each user message to its conversation's owner and carries out transfers.

    It is the ``TurnHost`` of every Turn it makes and the ``Receiving`` side of every
    transfer; messages of one conversation run one at a time, in order.
    """

    def __init__(
        self,
        registry: Registry,
        storage: Storage,
        poster: Poster,
        *,
        dm_idle_timeout: float = 30 * 60,
        max_transfers: int = DEFAULT_MAX_TRANSFERS,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.storage = storage
        self.poster = poster
        self.dm_idle_timeout = dm_idle_timeout
        self.transfers = Transfers(registry, storage, max_transfers=max_transfers)
        self._http = http
        self.clock = clock
        self._locks = KeyedLocks()

    @property
    def http(self) -> httpx.AsyncClient:
        """The shared HTTP client for persona backends, made on first use."""
        if self._http is None or self._http.is_closed:
            self._http = httpx.AsyncClient()
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    @property
    def directory(self) -> Registry:
        return self.registry

    # --- admission (the ack path) ---------------------------------------------------

    async def admit(self, message: IncomingMessage, *, event_id: str | None) -> bool:
        """Record a message before Slack gets its ack; False for a duplicate delivery (the
        same event id again, or the app_mention/message twin of one post)."""
        keys = [f"post:{message.team}:{message.channel}:{message.ts}"]
        if event_id:
            keys.append(f"event:{event_id}")
        return await self.storage.admit(keys)

    async def admit_click(self, click: IncomingClick) -> bool:
        """One answer per question: only the first click on a message's buttons counts."""
        return await self.storage.admit([f"click:{click.channel}:{click.message_ts}"])

    # --- one message ----------------------------------------------------------------

    async def handle(self, message: IncomingMessage) -> None:
        """Answer one user message; messages of one conversation run one at a time, in order."""
        async with self._locks.hold(message.sequence_key):
            conversation, stored = await resolve(self.storage, message, self.registry.entry,
                                                 dm_idle_timeout=self.dm_idle_timeout)
            if conversation is None:
                log.debug("ignored reply in a thread without Baton: %s", message.event_id)
                return
            owner = self.registry.persona(conversation.owner)
            run = Run(message, conversation, chain=[owner.name], stored=stored)
            await self._answer(run, owner, message.text)
            if not run.stored or conversation.kind == "dm":  # after the replies, not before
                await self.storage.save_conversation(run.conversation, float(message.ts))

    async def handle_click(self, click: IncomingClick) -> None:
        """Run the ``@button`` dialog of the persona whose button was clicked."""
        message = click.as_message()
        async with self._locks.hold(message.sequence_key):
            conversation = await latest(self.storage, click.team, click.channel,
                                        click.thread_ts)
            persona = self.registry.personas.get(click.persona)
            fn = persona.button_fns.get(click.action) if persona else None
            if conversation is None or persona is None or fn is None:
                log.warning("click %s on a button nobody answers (%s.%s)", click.click_id,
                            click.persona, click.action)
                return
            run = Run(message, conversation, click=click, chain=[persona.name])
            button = Button(click.label, click.value, click.action)
            await self._run_dialog(run, persona, fn, text=click.label, clicked=button)

    def ranked(self, run: Run, text: str) -> list[IntentMatch]:
        """Intents for ``text`` across every domain, best first: classified once per Run."""
        found = run.rankings.get(text)
        if found is None:
            found = run.rankings[text] = self.registry.rank(text, k=RANKED)
        return found

    def _best(self, run: Run, text: str) -> IntentMatch | None:
        ranked = self.ranked(run, text)
        return ranked[0] if ranked and ranked[0].score >= self.registry.intent_threshold \
            else None

    async def _answer(self, run: Run, persona: Persona, text: str) -> None:
        conversation = run.conversation
        expected = conversation.expected_answer(persona.name, self.clock())
        if conversation.expecting is not None:  # an open question is answered once, or lapses
            run.conversation = replace(conversation, expecting=None, expecting_until=None)
            await self.storage.set_expected(run.conversation)
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
        if persona.reroute and await self._reroute(run, persona, text):
            return
        await self._run_dialog(run, persona, persona.fallback_fn or default_fallback,
                               text=text)

    async def _reroute(self, run: Run, persona: Persona, text: str) -> bool:
        """Hand an off-topic follow-up to the skill whose intent fits it, instead of a fallback."""
        best = self._best(run, text)
        target = self.registry.persona_for_intent(best.qualified_name) if best else None
        if best is None or target is None or target is persona or not target.skills:
            return False
        request = TransferRequest(target.skills[0], intent=best.qualified_name, message=text,
                                  kind="reroute")
        result = await self.transfers.carry_out(request, run, persona, self)
        return result.ok

    async def _run_dialog(
        self,
        run: Run,
        persona: Persona,
        fn: DialogFn | Callable[[Turn], Awaitable[None]],
        *,
        text: str,
        intent: IntentMatch | None = None,
        transferred: TransferContext | None = None,
        clicked: Button | None = None,
        failed_transfer: TransferResult | None = None,
    ) -> None:
        call = DialogCall(persona.name, transfer_id=transferred.transfer_id
                          if transferred else None)
        run.calls.append(call)
        turn = Turn(self, run, call, text=text, intent=intent, transferred=transferred,
                    failed_transfer=failed_transfer, clicked=clicked)
        try:
            await fn(turn)
        except Exception:
            if transferred is not None:
                raise  # the transfer fails and the sender answers
            log.exception("dialog %s of persona %s failed", getattr(fn, "__qualname__", fn),
                          persona.name)
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
            try:
                await self._run_dialog(run, persona, handler, text=turn.text,
                                       intent=turn.intent, failed_transfer=failure)
                return False
            except Exception:
                log.exception("transfer_failed handler of persona %s failed", persona.name)
        transfer_id = turn.transferred.transfer_id if turn.transferred else None
        await self.say(run, DialogCall(persona.name, transfer_id),
                       TRANSFER_FAILED.format(skill=failure.skill), ())
        return True

    # --- what a Turn asks for (TurnHost) ----------------------------------------------

    async def say(self, run: Run, call: DialogCall, text: str,
                  buttons: Sequence[Button]) -> None:
        """Post as the call's persona; anything said answers the call's failed transfers."""
        persona = self.registry.personas[call.persona]
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"turn.say() got {text!r} from persona {persona.name!r}; Slack "
                             "refuses empty messages: say something, or say nothing.")
        for button in buttons:
            if button.action not in persona.button_fns:
                raise ConfigError(
                    f"button {button.label!r} of persona {persona.name!r} has action "
                    f"{button.action!r}, but there is no @{persona.name}.button({button.action!r})"
                    " dialog to answer its click; add one.")
        call.unanswered.clear()
        await self.post(run, persona, text, call.transfer_id, buttons)

    async def post(self, run: Run, persona: Persona, text: str, transfer_id: str | None,
                   buttons: Sequence[Button] = ()) -> None:
        """Post ``text`` as ``persona``; the reply's id and transfer go in its metadata."""
        reply = PostedReply(run.next_reply_id(), persona.name, text, transfer_id)
        metadata = {"persona": persona.name, "conversation": run.conversation.id,
                    "reply_id": reply.id}
        if transfer_id:
            metadata["transfer_id"] = transfer_id
        await self.poster.post(run.conversation, persona, text, metadata, buttons)
        run.replies.append(reply)

    async def expect(self, run: Run, call: DialogCall, answer: str, ttl: float) -> None:
        persona = self.registry.personas[call.persona]
        if answer not in persona.answer_fns:
            raise ConfigError(f"persona {persona.name!r} expects an answer {answer!r}, but has "
                              f"no @{persona.name}.answer({answer!r}) dialog to take it; add one.")
        if ttl <= 0:
            raise ValueError(f"turn.expect({answer!r}, ttl={ttl!r}): give seconds > 0.")
        run.conversation = replace(run.conversation, expecting=f"{persona.name}:{answer}",
                                   expecting_until=self.clock() + ttl)
        await self.storage.set_expected(run.conversation)

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

    # --- what a transfer asks for (Receiving) -------------------------------------------

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
