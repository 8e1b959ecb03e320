"""psycopg 3's async connection pool, opened on first use in the running loop, and the
turns at its connections (urgent statements first)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from ..values import DEFAULT_POOL_SIZE
from .turns import NORMAL, URGENT, Turns


class Pool:
    """One instance's connections to the database."""

    def __init__(self, url: str, *, size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = url
        self.size = size
        self._pool: AsyncConnectionPool | None = None
        self._opening = asyncio.Lock()
        self._turns = Turns(size)  # never more holders than connections: psycopg's pool
        # itself then never keeps anyone waiting, and the order of waiters is ours

    @asynccontextmanager
    async def connection(self, *, urgent: bool = False) -> AsyncIterator[AsyncConnection[Any]]:
        """A connection in autocommit mode; ``conn.transaction()`` for several statements.
        ``urgent``: served before every waiting statement that is not."""
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    pool = AsyncConnectionPool(self.url, min_size=1, max_size=self.size,
                                               kwargs={"autocommit": True}, open=False)
                    await pool.open(wait=True, timeout=30)
                    self._pool = pool
        async with self._turns.turn(URGENT if urgent else NORMAL), \
                self._pool.connection() as conn:
            yield conn

    async def execute(self, sql: str, args: Any = None, *,
                      urgent: bool = False) -> list[tuple[Any, ...]]:
        """One statement; its rows (empty for one that returns none)."""
        async with self.connection(urgent=urgent) as conn:
            cursor = await conn.execute(sql, args)
            return await cursor.fetchall() if cursor.description else []

    def stats(self) -> dict[str, float]:
        """How long statements queued for a connection (seconds, summed), and how many did:
        for their turn, and (while it opens connections) in psycopg's pool."""
        counted = self._pool.get_stats() if self._pool is not None else {}
        return {"pool_wait": self._turns.waited + counted.get("requests_wait_ms", 0) / 1000,
                "pool_queued": self._turns.queued + counted.get("requests_queued", 0)}

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
