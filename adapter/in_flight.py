"""Which admitted events are still being handled: a graceful stop waits for them, and
tests wait for one instead of sleeping."""

from __future__ import annotations

import asyncio


class InFlight:
    """Which admitted events are still being handled; lets tests wait without sleeping."""

    def __init__(self) -> None:
        self._pending: dict[str, asyncio.Future[None]] = {}
        self._tasks: dict[str, asyncio.Task[object]] = {}

    def start(self, event_id: str) -> None:
        self._pending.setdefault(event_id, asyncio.get_running_loop().create_future())

    def attach(self, event_id: str, task: asyncio.Task[object] | None) -> None:
        """The task handling ``event_id``, for a stop that cannot wait for it any longer."""
        if task is not None and event_id in self._pending:
            self._tasks[event_id] = task

    def finish(self, event_id: str) -> None:
        self._tasks.pop(event_id, None)
        future = self._pending.pop(event_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait(self, event_id: str) -> None:
        """Return once ``event_id`` is handled (at once if it was never admitted)."""
        future = self._pending.get(event_id)
        if future is not None:
            await asyncio.shield(future)

    async def wait_all(self, timeout: float | None = None) -> int:
        """Wait for everything in flight, ``timeout`` seconds at most; then cancel what is
        left (its inbox entry stays pending for the next start) and return how much."""
        try:
            async with asyncio.timeout(timeout):
                while self._pending:
                    await asyncio.shield(next(iter(self._pending.values())))
            return 0
        except TimeoutError:
            left = list(self._tasks.values())
            for task in left:
                task.cancel()
            await asyncio.gather(*left, return_exceptions=True)
            for event_id in list(self._pending):
                self.finish(event_id)
            return len(left)

    def __len__(self) -> int:
        return len(self._pending)
