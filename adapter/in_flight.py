"""Which admitted events are still being handled: a graceful stop waits for them, and
tests wait for one instead of sleeping."""

from __future__ import annotations

import asyncio


class InFlight:
    """Which admitted events are still being handled; lets tests wait without sleeping."""

    def __init__(self) -> None:
        self._pending: dict[str, asyncio.Future[None]] = {}

    def start(self, event_id: str) -> None:
        self._pending.setdefault(event_id, asyncio.get_running_loop().create_future())

    def finish(self, event_id: str) -> None:
        future = self._pending.pop(event_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait(self, event_id: str) -> None:
        """Return once ``event_id`` is handled (at once if it was never admitted)."""
        future = self._pending.get(event_id)
        if future is not None:
            await asyncio.shield(future)

    async def wait_all(self) -> None:
        while self._pending:
            await asyncio.shield(next(iter(self._pending.values())))

    def __len__(self) -> int:
        return len(self._pending)
