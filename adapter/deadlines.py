"""Dialog time limits, all watched by one timer.

A timer per dialog call (``asyncio.timeout``) costs a push on the event loop's timer heap
when it starts and again after each pause (a reply being delivered does not count), with
a Python-level comparison per level of a heap holding every connection's timers: at a
thousand conversations at once that was about 4% of the CPU a message takes. Here a
deadline is a number: setting, holding and clearing it costs nothing, and one watchdog,
awake a few times a second while any dialog runs, expires those past their time, through
``asyncio.Timeout`` so that the dialog sees the ``TimeoutError`` asyncio would raise.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

WATCH_INTERVAL = 0.05  # seconds: how late past its limit a dialog may be stopped


class Deadline:
    """One dialog call's time limit (``async with deadlines.limit(seconds)``)."""

    def __init__(self, watch: Deadlines, seconds: float) -> None:
        self._watch = watch
        self._seconds = seconds
        self._timeout = asyncio.timeout(None)  # armed only when the watchdog expires it
        self.due = 0.0  # the loop's clock, once entered
        self._held_at: float | None = None

    async def __aenter__(self) -> Deadline:
        loop = asyncio.get_running_loop()
        await self._timeout.__aenter__()
        self.due = loop.time() + self._seconds
        self._watch.add(self, loop)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> bool | None:
        self._watch.discard(self)
        return await self._timeout.__aexit__(kind, error, trace)

    def hold(self, now: float) -> None:
        """Stop the clock (a reply is being delivered: Slack's time is not the dialog's)."""
        self._held_at = now

    def release(self, now: float) -> None:
        """Start the clock again, with the time it had left."""
        if self._held_at is not None:
            self.due += now - self._held_at
            self._held_at = None

    def overdue(self, now: float) -> bool:
        return self._held_at is None and now >= self.due

    def expire(self) -> None:
        self._timeout.reschedule(asyncio.get_running_loop().time())

    def expired(self) -> bool:
        """Whether the limit stopped the dialog."""
        return self._timeout.expired()


class Deadlines:
    """The deadlines of the dialogs running now, and the one watchdog that enforces them."""

    def __init__(self) -> None:
        self._running: set[Deadline] = set()
        self._watchdog: asyncio.Task[None] | None = None

    def limit(self, seconds: float) -> Deadline:
        return Deadline(self, seconds)

    def add(self, deadline: Deadline, loop: asyncio.AbstractEventLoop) -> None:
        self._running.add(deadline)
        if self._watchdog is None or self._watchdog.done() or \
                self._watchdog.get_loop() is not loop:
            self._watchdog = loop.create_task(self._watch(), name="baton-dialog-deadlines")

    def discard(self, deadline: Deadline) -> None:
        self._running.discard(deadline)

    def close(self) -> None:
        """Stop the watchdog (the app is stopping)."""
        if self._watchdog is not None and not self._watchdog.done():
            self._watchdog.cancel()
        self._watchdog = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running:
            await asyncio.sleep(WATCH_INTERVAL)
            now = loop.time()
            for deadline in [d for d in self._running if d.overdue(now)]:
                self._running.discard(deadline)
                deadline.expire()
