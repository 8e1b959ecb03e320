"""Running a persona's dialog, and what its Turn asks of the app (``TurnHost``): saying,
asking, the store, transferring (``Receiving``), classification once per Run."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

import httpx

from .buttons import Button
from .conversations import is_agent_thread
from .deadlines import Deadlines
from .defaults import DIALOG_ERROR, TRANSFER_FAILED, default_fallback, default_welcome
from .errors import ConfigError, DeliveryError
from .escalation import Escalations
from .handoff import DEFAULT_MAX_TRANSFERS, TransferContext, TransferRequest, TransferResult
from .humans import HumanTeam
from .intents import IntentMatch, SkillMatch
from .persona import DialogFn, Persona
from .registry import RANKED, Registry
from .replies import Poster, Replies, Streamed
from .run import DialogCall, Run
from .status import STATUS_AFTER, StatusLine, working
from .storage import LedgerRow, Storage
from .store import Store
from .transfers import Transfers, receiver_start
from .turn import Turn

log = logging.getLogger("baton.engine")
DIALOG_TIMEOUT = 15.0  # seconds a dialog may run (Slack's delays not counted)
Dialog = DialogFn | Callable[[Turn], Awaitable[None]]


class Dialogs:
    """Runs dialogs under their time limits and answers their Turns.

    It is the ``TurnHost`` of every Turn it makes and the ``Receiving`` side of every
    transfer; the ``Engine`` adds running inbox entries.
    """

    def __init__(
        self, registry: Registry, storage: Storage, poster: Poster, *,
        max_transfers: int = DEFAULT_MAX_TRANSFERS, dialog_timeout: float = DIALOG_TIMEOUT,
        http: httpx.AsyncClient | None = None, clock: Callable[[], float] = time.time,
        receipts: bool = True,
    ) -> None:
        self.registry = registry
        self.storage = storage
        self.replies = Replies(storage, poster)
        self.dialog_timeout = dialog_timeout
        self.transfers = Transfers(registry, storage, max_transfers=max_transfers,
                                   receipts=receipts)
        self._http = http
        self.clock = clock
        self.deadlines = Deadlines()
        self.escalations = Escalations(self)

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
        showing = asyncio.get_running_loop().call_later(
            STATUS_AFTER, self._still_working, run, call, persona, len(run.replies))
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
            showing.cancel()
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

    # --- showing work -------------------------------------------------------------------

    def working(self, run: Run, persona: Persona, text: str, *, brief: bool = False) -> None:
        """Show ``text`` as the Run's status, under ``persona`` (in the background). A
        ``brief`` one (a transfer: milliseconds) only where Slack shows a status line: an
        hourglass that comes and goes at once is noise, and two more calls."""
        if brief and not is_agent_thread(run.conversation):
            return
        if run.status is None:
            run.status = StatusLine(self.replies.poster, run.conversation, run.message.ts)
        run.status.show(persona, text)

    async def status(self, run: Run, call: DialogCall, doing: str) -> None:
        """``turn.status("checking flights")``."""
        persona = self.registry.personas[call.persona]
        self.working(run, persona, working(persona, doing))

    async def stream(self, run: Run, call: DialogCall) -> Streamed:
        """``turn.stream()``: a reply written in pieces."""
        persona = self.registry.personas[call.persona]
        call.unanswered.clear()
        return await Streamed(self.replies, run, persona, call.transfer_id).open()

    def title(self, run: Run, title: str) -> None:
        """Name the conversation's agent thread (in the background)."""
        asyncio.get_running_loop().create_task(
            self.replies.poster.title(run.conversation, title))

    def _still_working(self, run: Run, call: DialogCall, persona: Persona,
                       posted: int) -> None:
        """A dialog that said nothing for a moment: its status says it is on it."""
        if run.active and run.active[-1] is call and len(run.replies) == posted \
                and not run.sending:
            self.working(run, persona, working(persona))

    async def answer_welcome(self, run: Run, persona: Persona) -> None:
        """The persona greets the conversation (its welcome, else Baton's)."""
        await self._run_dialog(run, persona, persona.welcome_fn or default_welcome,
                               text=run.message.text)

    async def answer_failure(self, run: Run, sender: Persona, failure: TransferResult) -> None:
        """The sender answers a transfer that failed after its dialog ended (a human team's
        wait): its @transfer_failed dialog, else the default message."""
        handler = sender.transfer_failed_fn
        if handler is not None:
            await self._run_dialog(run, sender, handler, text=run.message.text,
                                   failed_transfer=failure)
            return
        await self.say(run, DialogCall(sender.name), TRANSFER_FAILED.format(
            skill=failure.skill), ())

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
        receipt = None
        if run.receipt is not None and run.receipt[0] != persona.name:
            receipt, run.receipt = run.receipt[1], None
        await self.replies.post(run, persona, text, call.transfer_id, buttons, receipt=receipt)

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
        """Start the receiver as the transfer rules say (``receiver_start``); a human team
        gets its card instead (``Escalations.open``)."""
        if isinstance(receiver, HumanTeam):
            return await self.escalations.open(run, receiver, context, context.note,
                                               context.agent)
        start = receiver_start(receiver, context, lambda text: self.registry.match(
            receiver, text, lambda: self._best(run, text)))
        fn = start.dialog or (default_fallback if start.default == "fallback"
                              else default_welcome)
        await self._run_dialog(run, receiver, fn, text=start.text or run.message.text,
                               intent=start.intent, transferred=context)
        return start.resolution

