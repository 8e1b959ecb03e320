"""The inbox: every admitted event is run to its end, exactly once, across failures.

An event is recorded before Slack gets its ack (``admit``) and done when its Run has
finished. An entry whose Run failed (a reply Slack would not take within the retry
budget, a bug) stays pending and is run again later; entries left by a process that died
are run again at start-up, before new events are taken, in the order they came. After
``max_attempts`` runs again it is parked with its error (``baton inbox`` shows it) and the
user gets one short apology instead of silence.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from .defaults import PARKED
from .engine import Engine
from .errors import DeliveryError
from .home import HomeView, home_view
from .message import IncomingClick, IncomingCommand, IncomingMessage, IncomingThread
from .run import Run
from .storage import Conversation, InboxEntry, Storage

log = logging.getLogger("baton.inbox")
MAX_ATTEMPTS = 3  # runs again after the first, before an entry is parked
RETRY_AFTER = 30.0  # seconds between attempts at a failed entry
LEASE = 30.0  # seconds an instance holds an entry it runs (renewed meanwhile) on shared storage


def entry_of(event: IncomingMessage | IncomingClick | IncomingCommand | IncomingThread
             ) -> InboxEntry:
    """The inbox entry of a message, a click or a command (its key is its dedup key)."""
    now = time.time()
    payload = dict(vars(event))  # its fields are all plain values: no deep copy needed
    if isinstance(event, IncomingCommand):
        return InboxEntry(event.key, "command", event.sequence_key, payload, created_at=now,
                          updated_at=now, ordinal=now)
    if isinstance(event, IncomingThread):  # greeted before anything said in the thread
        return InboxEntry(event.key, "thread", event.sequence_key, payload, created_at=now,
                          updated_at=now, ordinal=float(event.thread_ts))
    if isinstance(event, IncomingClick):  # a click's moment: Slack's action_ts in its id
        moment = event.click_id.rsplit(":", 1)[-1]
        return InboxEntry(event.key, "click", event.as_message().sequence_key, payload,
                          created_at=now, updated_at=now, ordinal=_number(moment, now))
    return InboxEntry(event.key, "message", event.sequence_key, payload,
                      created_at=now, updated_at=now, ordinal=float(event.ts))


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default


@dataclass
class InboxStats:
    """What an inbox did since it started (``/healthz`` shows it; benchmarks read it)."""

    runs: int = 0  # Runs finished, or failed
    handling: float = 0.0  # seconds from claiming an entry to the end of its Run, summed
    claiming: float = 0.0  # seconds in claims (the wait for the advisory lock included)
    deferred: int = 0  # claims refused: another instance ran the conversation, or an
    # earlier entry there was pending
    chained: int = 0  # entries run because the one before them in their conversation ended

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


class Inbox:
    """Admits events for the Slack side and runs them to completion with the engine."""

    def __init__(self, engine: Engine, storage: Storage, *, max_attempts: int = MAX_ATTEMPTS,
                 retry_after: float = RETRY_AFTER, lease: float = LEASE,
                 instance: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.storage = storage
        self.max_attempts = max_attempts
        self.retry_after = retry_after
        self.lease = lease
        self.clock = clock
        # Who holds a lease, on storage several instances share. A process given the same
        # ``instance`` as one that died takes that one's leases over at once.
        self.owner = instance or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._running: set[str] = set()
        # Entries the chain claimed for us while their own handler was claiming them.
        self._handed: dict[str, bool] = {}
        self._waiting: dict[str, list[InboxEntry]] = {}  # sequence -> replies before roots
        self.stats = InboxStats()

    # --- admission (the ack path) -------------------------------------------------------

    async def admit(self, message: IncomingMessage, *, event_id: str | None) -> bool:
        """Record a message before Slack gets its ack; False for a duplicate delivery (a
        retry, or the app_mention/message twin of one post)."""
        return await self.storage.admit(entry_of(message))

    async def admit_click(self, click: IncomingClick) -> str:
        """"admitted"; "forged" for a click no dialog answers (it uses nothing up); "used"
        for a question whose one click came already."""
        if self.engine.registry.button_dialog(click.persona, click.action) is None:
            return "forged"
        return "admitted" if await self.storage.admit(entry_of(click)) else "used"

    # --- running ------------------------------------------------------------------------

    async def handle(self, message: IncomingMessage) -> None:
        await self.run(entry_of(message))

    async def handle_click(self, click: IncomingClick) -> None:
        await self.run(entry_of(click))

    async def admit_command(self, command: IncomingCommand) -> bool:
        """Record a slash command before Slack gets its ack; False for a repeat."""
        return await self.storage.admit(entry_of(command))

    async def handle_command(self, command: IncomingCommand) -> None:
        await self.run(entry_of(command))

    async def admit_thread(self, thread: IncomingThread) -> bool:
        """Record a new agent thread before Slack gets its ack; False for a repeat."""
        return await self.storage.admit(entry_of(thread))

    async def handle_thread(self, thread: IncomingThread) -> None:
        await self.run(entry_of(thread))

    async def home(self, user: str, link: Callable[[Conversation], str | None]) -> HomeView:
        """What ``user``'s App Home shows (nothing to record: it is shown afresh each time)."""
        return await home_view(self.engine.registry, self.storage, user, link)

    async def run(self, entry: InboxEntry, *, replay: bool = False, again: bool = False,
                  claimed: bool | None = None) -> None:
        """Run one entry; on failure it stays pending (or is parked), never silently lost.
        ``again``: a later attempt, counted once the entry is had; ``claimed``: leased to
        us already (by the finish of the entry before it), and whether it had been before.

        On storage several instances share, the entry is claimed first: if another
        instance runs its conversation, or an earlier entry there is pending, it is left
        for whoever finishes that one (or, if that instance died, for a later sweep)."""
        if entry.key in self._running:
            # Running here already: the next-entry chain and its handler both came. If it is
            # the chain, its claim may have won while the handler's was being refused: the
            # handler, told so, runs the entry instead of leaving it leased to nobody.
            if claimed is not None:
                self._handed[entry.key] = claimed
            return
        # Held from before the claim: on shared storage this instance's own lease would let
        # a second run of the entry here claim it too.
        self._running.add(entry.key)
        renewing = None
        started = time.perf_counter()
        if self.storage.shared:
            before = claimed if claimed is not None else await self._claim(entry)
            handed = self._handed.pop(entry.key, None)
            before = handed if before is None else before
            if before is None:
                self._running.discard(entry.key)
                return
            replay = replay or before
            renewing = asyncio.create_task(self._renew(entry.key))
        claimant = (self.owner, self.lease) if self.storage.shared else None
        try:
            if again:  # after the claim: an instance that did not get the entry counts none
                entry = replace(entry, attempts=await self.storage.begin_attempt(entry.key))
            outcome = await self.engine.run(entry, replay=replay, claimant=claimant)
        except asyncio.CancelledError:  # a stop past its deadline: for the next start
            if self.storage.shared:
                await self.storage.release(entry.key, self.owner)  # ...of any instance
            raise
        except Exception as error:
            await self._failed(entry, error)
            return
        finally:
            self._running.discard(entry.key)
            self._handed.pop(entry.key, None)  # the chain came while it ran: nothing to do
            if renewing is not None:
                renewing.cancel()
            self.stats.runs += 1
            self.stats.handling += time.perf_counter() - started
        if outcome.waiting:
            log.info("entry %s waits for its thread's first message", entry.key)
            self._waiting.setdefault(entry.sequence, []).append(entry)
            return
        for waiting in self._waiting.pop(entry.sequence, []):  # replies that came early
            await self.run(waiting, replay=True)
        if outcome.following is not None:  # the conversation's next, whoever admitted it
            self.stats.chained += 1
            await self.run(outcome.following.entry, claimed=outcome.following.leased_before)

    async def _claim(self, entry: InboxEntry) -> bool | None:
        """Lease ``entry`` to this instance: whether it was leased before (an earlier
        attempt may have posted some of its replies); None when it cannot be had now."""
        started = time.perf_counter()
        try:
            before = await self.storage.claim(entry, self.owner, self.lease)
        except BaseException:
            self._running.discard(entry.key)
            raise
        finally:
            self.stats.claiming += time.perf_counter() - started
        if before is None:
            log.debug("entry %s waits: its conversation is busy", entry.key)
            self.stats.deferred += 1
            return None
        return before

    async def _renew(self, key: str) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            await self.storage.renew(key, self.owner, self.lease)

    async def _failed(self, entry: InboxEntry, error: Exception) -> None:
        payload = entry.payload
        where = f"{payload.get('channel')}:{payload.get('thread_ts') or payload.get('ts')}"
        park = entry.attempts >= self.max_attempts or (
            isinstance(error, DeliveryError) and error.permanent)
        log.error("entry %s (event %s, conversation %s) failed%s: %s",
                  entry.key, payload.get("event_id") or payload.get("click_id"), where,
                  "; parked" if park else "; it will be run again", error,
                  exc_info=not isinstance(error, DeliveryError))
        await self.storage.fail_attempt(entry.key, f"{type(error).__name__}: {error}",
                                        park=park)
        if park:
            await self._apologize(entry)

    async def _apologize(self, entry: InboxEntry) -> None:
        """One short apology for a parked message, from whoever owns the conversation."""
        try:
            run = await self.engine.run_for(entry)
            if run is not None:
                persona = self.engine.registry.persona(run.conversation.owner)
                await self.engine.replies.post(_sorry(run), persona, PARKED, None)
        except Exception as error:
            log.error("entry %s: could not apologize either: %s", entry.key, error)

    async def replay_pending(self) -> int:
        """Run every pending entry again, oldest first (at start-up, before new events)."""
        entries = await self.storage.inbox("pending")
        for entry in entries:
            await self._again(entry)
        return len(entries)

    async def sweep(self, now: float | None = None) -> None:
        """Run again the pending entries that failed ``retry_after`` seconds before ``now``,
        or waited too long for their thread's first message (they are then ignored, as the
        thread is not ours)."""
        now = self.clock() if now is None else now
        await self.run_timers(now)
        for entry in await self.storage.inbox("pending"):
            if entry.key not in self._running and now - entry.updated_at >= self.retry_after:
                self._waiting.pop(entry.sequence, None)
                await self._again(entry)

    async def run_timers(self, now: float | None = None) -> int:
        """Run what human teams' waits that ended by ``now`` call for (the next stage, or
        the transfer's failure); each once, whichever instance admits it first."""
        ran = 0
        for entry in await self.engine.escalations.due(self.clock() if now is None else now):
            if await self.storage.admit(entry):  # else another instance, or a pending retry
                await self.run(entry)
                ran += 1
        return ran

    async def _again(self, entry: InboxEntry) -> None:
        await self.run(entry, replay=True, again=True)


def _sorry(run: Run) -> Run:
    """The Run an apology is posted in: its reply id is the entry's key and ":sorry"."""
    run.key = f"{run.key}:sorry"
    run.replay = True  # posted at most once, however often it is tried
    return run
