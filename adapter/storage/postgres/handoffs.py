"""Handoffs to human teams on PostgreSQL: the same rows as on SQLite, and a claim that only
the first agent wins, whichever instance each click reaches."""

from __future__ import annotations

import time

from ..rows import HANDOFF_COLUMNS, Handoff
from .pool import Pool

_COLUMNS = ", ".join(HANDOFF_COLUMNS)


class PostgresHandoffs:
    """The handoff statements of ``PostgresStorage`` (which mixes this in)."""

    _pool: Pool

    async def save_handoff(self, handoff: Handoff) -> None:
        updates = ", ".join(f"{c} = excluded.{c}" for c in HANDOFF_COLUMNS if c != "id")
        await self._pool.execute(
            f"INSERT INTO handoffs ({_COLUMNS}) VALUES "
            f"({', '.join(['%s'] * len(HANDOFF_COLUMNS))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            [getattr(handoff, column) for column in HANDOFF_COLUMNS])

    async def handoffs(self, *, conversation: str | None = None, status: str | None = None,
                       due_by: float | None = None) -> list[Handoff]:
        where, args = [], []
        for clause, value in (("conversation = %s", conversation), ("status = %s", status)):
            if value is not None:
                where.append(clause)
                args.append(value)
        if due_by is not None:
            where.append("status = 'waiting' AND due_at <= %s")
            args.append(due_by)
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        rows = await self._pool.execute(
            f"SELECT {_COLUMNS} FROM handoffs {condition} ORDER BY created_at, id", args)
        return [Handoff(*row) for row in rows]

    async def claim_handoff(self, handoff_id: str, agent: str) -> Handoff | None:
        now = time.time()
        async with self._pool.connection(urgent=True) as conn, conn.transaction():
            cursor = await conn.execute(
                f"UPDATE handoffs SET status = 'claimed', claimed_by = %s, updated_at = %s "
                f"WHERE id = %s AND status = 'waiting' RETURNING {_COLUMNS}",
                [agent, now, handoff_id])
            row = await cursor.fetchone()
            if row is None:
                return None
            handoff = Handoff(*row)
            await conn.execute(
                "UPDATE ledger SET status = 'completed', resolution = %s, updated_at = %s "
                "WHERE id = %s", [f"claimed by {agent}", now, handoff_id])
            await conn.execute(
                "UPDATE conversations SET owner = %s, expecting = NULL, expecting_until = NULL, "
                "updated_at = %s WHERE id = %s", [f"human:{agent}", now, handoff.conversation])
        return handoff
