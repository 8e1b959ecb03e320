"""Processed events: Slack retries and twin deliveries are handled once."""

from __future__ import annotations

import asyncio
import time

from sqlite_utils import Database

# Slack retries a delivery for a few minutes at most; a day is ample.
KEEP_SECONDS = 24 * 60 * 60


class ProcessedEvents:
    """Remembers which events and posts were taken, in the database so it survives restarts."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._since_purge = 0

    def claim(self, *keys: str) -> bool:
        """True when none of ``keys`` was seen before; records them all.

        A delivery is a duplicate when any key was seen: the same event_id (a Slack
        retry) or the same post (one message delivered as app_mention and as message).
        """
        now = time.time()
        fresh = True
        for key in keys:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO processed_events (key, created_at) VALUES (?, ?)", [key, now]
            )
            fresh = fresh and cursor.rowcount == 1
        self._since_purge += 1
        if self._since_purge >= 1000:
            self.purge(now)
        return fresh

    def purge(self, now: float | None = None) -> None:
        """Forget events older than a day so the table stays small."""
        self._since_purge = 0
        cutoff = (now or time.time()) - KEEP_SECONDS
        self._db.execute("DELETE FROM processed_events WHERE created_at < ?", [cutoff])


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
