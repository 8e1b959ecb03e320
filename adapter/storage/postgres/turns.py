"""Turns at a fixed number of connections, urgent requests first."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

URGENT, NORMAL = 0, 1


class Turns:
    """At most ``size`` holders at once. Waiting requests are served urgent ones first,
    then in the order they came. psycopg's pool serves its waiters in arrival order only;
    an instance needs a finish (which frees a conversation another instance may be
    waiting on) to pass the lookups and claims of work it has not started yet."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._line: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self.waited = 0.0  # seconds, summed over every request that had to wait
        self.queued = 0  # requests that had to wait

    @asynccontextmanager
    async def turn(self, priority: int = NORMAL) -> AsyncIterator[None]:
        await self._take(priority)
        try:
            yield
        finally:
            self._pass()

    async def _take(self, priority: int) -> None:
        if self._free and not self._line:
            self._free -= 1
            return
        self.queued += 1
        asked = time.perf_counter()
        ready = asyncio.get_running_loop().create_future()
        heapq.heappush(self._line, (priority, next(self._order), ready))
        try:
            await ready
        except asyncio.CancelledError:
            if ready.done() and not ready.cancelled():  # given a turn as it was cancelled
                self._pass()
            raise
        finally:
            self.waited += time.perf_counter() - asked

    def _pass(self) -> None:
        """Give a finished turn to the first waiting request, or back to the free ones."""
        while self._line:
            ready = heapq.heappop(self._line)[2]
            if not ready.done():  # a cancelled request's future is done: skip it
                ready.set_result(None)
                return
        self._free += 1
