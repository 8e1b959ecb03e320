"""Handoffs to human teams on SQLite: the card, whom the wait is for, and a claim that
only the first agent wins."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from ..rows import HANDOFF_COLUMNS, Handoff

_COLUMNS = ", ".join(HANDOFF_COLUMNS)


class HandoffTables:
    """The handoff statements of ``SqliteStorage`` (which mixes this in)."""

    _conn: sqlite3.Connection
    db: Any

    async def save_handoff(self, handoff: Handoff) -> None:
        self._conn.execute(
            f"INSERT OR REPLACE INTO handoffs ({_COLUMNS}) VALUES "
            f"({', '.join('?' * len(HANDOFF_COLUMNS))})",
            [getattr(handoff, column) for column in HANDOFF_COLUMNS])

    async def handoffs(self, *, conversation: str | None = None, status: str | None = None,
                       due_by: float | None = None) -> list[Handoff]:
        where, args = [], []
        for clause, value in (("conversation = ?", conversation), ("status = ?", status)):
            if value is not None:
                where.append(clause)
                args.append(value)
        if due_by is not None:
            where.append("status = 'waiting' AND due_at <= ?")
            args.append(due_by)
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM handoffs {condition} ORDER BY created_at, id",
            args).fetchall()
        return [Handoff(*row) for row in rows]

    async def claim_handoff(self, handoff_id: str, agent: str) -> Handoff | None:
        now = time.time()
        with self.db.atomic():
            claimed = self._conn.execute(
                "UPDATE handoffs SET status = 'claimed', claimed_by = ?, updated_at = ? "
                "WHERE id = ? AND status = 'waiting'", [agent, now, handoff_id]).rowcount
            if not claimed:
                return None
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM handoffs WHERE id = ?",
                                     [handoff_id]).fetchone()
            handoff = Handoff(*row)
            self._conn.execute(
                "UPDATE ledger SET status = 'completed', resolution = ?, updated_at = ? "
                "WHERE id = ?", [f"claimed by {agent}", now, handoff_id])
            self._conn.execute(
                "UPDATE conversations SET owner = ?, expecting = NULL, expecting_until = NULL, "
                "updated_at = ? WHERE id = ?", [f"human:{agent}", now, handoff.conversation])
        return handoff
