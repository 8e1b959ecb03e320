"""The engine: runs each inbox entry as a Run: its owner, its dialog starters, its
transfers (the dialogs themselves run in ``Dialogs``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from .agents import Agents
from .buttons import Button
from .commands import Commands
from .conversations import latest, resolve
from .defaults import default_fallback
from .dialogs import DIALOG_TIMEOUT, Dialogs
from .errors import DeliveryError
from .handoff import DEFAULT_MAX_TRANSFERS
from .home import prompts
from .humans import HumanTeam
from .message import IncomingClick, IncomingMessage, IncomingThread
from .persona import Persona
from .registry import Registry
from .replies import Poster
from .run import Outcome, Run
from .sequencer import KeyedLocks
from .storage import Conversation, InboxEntry, Storage

log = logging.getLogger("baton.engine")
WAIT_FOR_ROOT = 60.0  # seconds a thread reply waits for its thread's first message


class Engine(Dialogs):
    """Runs inbox entries; messages of one conversation one at a time, in order."""

    def __init__(
        self, registry: Registry, storage: Storage, poster: Poster, *,
        dm_idle_timeout: float = 30 * 60, max_transfers: int = DEFAULT_MAX_TRANSFERS,
        dialog_timeout: float = DIALOG_TIMEOUT, http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time, receipts: bool = True,
    ) -> None:
        super().__init__(registry, storage, poster, max_transfers=max_transfers,
                         dialog_timeout=dialog_timeout, http=http, clock=clock,
                         receipts=receipts)
        self.dm_idle_timeout = dm_idle_timeout
        self._locks = KeyedLocks()
        self.agents = Agents(self.escalations)
        self.commands = Commands(self.agents)

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
        if entry.kind == "thread":  # a new agent thread: the entry persona greets it
            return await self._run_thread_start(entry, claimant)
        if entry.kind in ("timer", "command"):  # a human team's wait ended; /baton
            async with self._locks.hold(entry.sequence):
                if entry.kind == "timer":
                    await self.escalations.wait_ended(entry)
                else:
                    await self.commands.run(entry)
                return Outcome(following=await self.storage.finish(
                    entry, None, entry.ordinal or self.clock(), claimant=claimant))
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
            if self.escalations.silent(conversation):  # a person has it, or is being asked
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
            finally:
                if run.status is not None:
                    await run.status.clear()
            save = None if run.stored and conversation.kind != "dm" else run.conversation
            return Outcome(following=await self.storage.finish(
                entry, save, float(message.ts), claimant=claimant))

    async def _run_thread_start(self, entry: InboxEntry,
                                claimant: tuple[str, float] | None) -> Outcome:
        """A new agent thread: owned by the entry persona, which greets it, with suggested
        prompts from what the personas offer."""
        thread = IncomingThread(**entry.payload)
        said = IncomingMessage(thread.event_id, thread.team, thread.channel, thread.user, "",
                               thread.thread_ts, thread.thread_ts, True, False)
        conversation = Conversation(f"{thread.team}:{thread.channel}:{thread.thread_ts}",
                                    thread.team, thread.channel, thread.thread_ts, "thread",
                                    self.registry.entry)
        async with self._locks.hold(thread.sequence_key):
            entry_persona = self.registry.personas[self.registry.entry]
            run = Run(said, conversation, key=entry.key, replay=True,
                      chain=[entry_persona.name])
            await self.answer_welcome(run, entry_persona)
            suggested = prompts(self.registry)
            if suggested:  # none when the entry persona is the only one
                await self.replies.poster.thread_started(conversation, suggested)
            return Outcome(following=await self.storage.finish(
                entry, run.conversation, float(thread.thread_ts), claimant=claimant))

    async def run_for(self, entry: InboxEntry) -> Run | None:
        """A Run for an entry, its conversation found but nothing run (for an apology)."""
        if entry.kind not in ("message", "click"):
            return None  # a timer or a command: no user message to apologize for
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
            if isinstance(self.registry.personas.get(click.persona), HumanTeam):
                await self.agents.clicked(click, entry.key, replay)  # a card in its channel
                return Outcome(following=await self.storage.finish(
                    entry, None, float(message.ts), claimant=claimant))
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

