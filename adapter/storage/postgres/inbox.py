"""The inbox and outbox on PostgreSQL, with leases: several instances share one inbox, and
each entry is run by one of them at a time, in its conversation's order."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..rows import INBOX_COLUMNS, Conversation, InboxEntry
from .pool import Pool

_COLUMNS = ", ".join(INBOX_COLUMNS)
# The database's clock, not the instance's: instances agree on when a lease ends.
NOW = "extract(epoch from clock_timestamp())"


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False,
                                                  separators=(",", ":"))


def entry_from_row(row: Sequence[Any]) -> InboxEntry:
    values = dict(zip(INBOX_COLUMNS, row, strict=True))
    values["payload"] = json.loads(values["payload"])
    values["state"] = json.loads(values["state"]) if values["state"] else None
    return InboxEntry(**values)


class PostgresInbox:
    """The inbox and outbox statements of ``PostgresStorage`` (which mixes this in)."""

    _pool: Pool
    _lock_wait: float  # seconds claims waited for their conversation's advisory lock
    _lease_wait: float  # seconds entries refused at first waited for their conversation

    async def admit(self, entry: InboxEntry) -> bool:
        now = time.time()
        rows = await self._pool.execute(
            "INSERT INTO inbox (key, kind, sequence, payload, status, attempts, created_at, "
            "updated_at, ordinal) VALUES (%s, %s, %s, %s, 'pending', 0, %s, %s, %s) "
            "ON CONFLICT (key) DO NOTHING RETURNING key",
            [entry.key, entry.kind, entry.sequence, _encode(entry.payload), now, now,
             entry.ordinal])
        return bool(rows)

    async def inbox_entry(self, key: str) -> InboxEntry | None:
        rows = await self._pool.execute(f"SELECT {_COLUMNS} FROM inbox WHERE key = %s", [key])
        return entry_from_row(rows[0]) if rows else None

    async def inbox(self, status: str | None = None) -> list[InboxEntry]:
        where, args = ("WHERE status = %s", [status]) if status else ("", [])
        rows = await self._pool.execute(
            f"SELECT {_COLUMNS} FROM inbox {where} ORDER BY ordinal, created_at, key", args)
        return [entry_from_row(row) for row in rows]

    async def claim(self, entry: InboxEntry, owner: str, lease: float) -> bool | None:
        """Lease ``entry`` to ``owner`` for ``lease`` seconds, if it is pending, nobody else
        holds a live lease in its conversation, and no earlier entry there is pending.
        None when it cannot be had; else whether it was leased before (an earlier attempt
        may have posted some of its replies)."""
        # One call: the conversation's advisory lock, then the lease (migrations 0002 and 0003).
        rows = await self._pool.execute(
            "SELECT claimed, leased_before, lock_wait, lease_wait "
            "FROM baton_claim(%s, %s, %s, %s, %s)",
            [entry.key, entry.sequence, owner, lease, time.time()])
        claimed, before, locked, leased = rows[0]
        self._lock_wait += locked
        self._lease_wait += leased
        return bool(before) if claimed else None

    async def renew(self, key: str, owner: str, lease: float) -> None:
        await self._pool.execute(
            f"UPDATE inbox SET lease_until = {NOW} + %s WHERE key = %s AND lease_owner = %s "
            "AND status = 'pending'", [lease, key, owner])

    async def release(self, key: str, owner: str) -> None:
        await self._pool.execute("UPDATE inbox SET lease_owner = NULL, lease_until = NULL "
                                 "WHERE key = %s AND lease_owner = %s", [key, owner])

    async def begin_attempt(self, key: str) -> int:
        rows = await self._pool.execute(
            "UPDATE inbox SET attempts = attempts + 1, updated_at = %s WHERE key = %s "
            "RETURNING attempts", [time.time(), key])
        return int(rows[0][0]) if rows else 0

    async def fail_attempt(self, key: str, error: str, *, park: bool = False) -> None:
        await self._pool.execute(
            "UPDATE inbox SET status = %s, error = %s, updated_at = %s, lease_owner = NULL, "
            "lease_until = NULL WHERE key = %s",
            ["parked" if park else "pending", error, time.time(), key])

    @staticmethod
    async def _keep_state(conn: Any, key: str, origin: Conversation) -> None:
        await conn.execute("UPDATE inbox SET state = %s WHERE key = %s AND state IS NULL",
                           [_encode(asdict(origin)), key])

    async def reply_status(self, reply_id: str) -> tuple[str, str | None] | None:
        rows = await self._pool.execute("SELECT status, ts FROM outbox WHERE reply_id = %s",
                                        [reply_id])
        return (rows[0][0], rows[0][1]) if rows else None

    async def mark_streaming(self, reply_id: str, conversation: str, ts: str) -> None:
        now = time.time()
        await self._pool.execute(
            "INSERT INTO outbox (reply_id, conversation, status, ts, created_at, updated_at) "
            "VALUES (%s, %s, 'streaming', %s, %s, %s) ON CONFLICT (reply_id) DO NOTHING",
            [reply_id, conversation, ts, now, now])

    async def mark_delivered(self, replies: Sequence[tuple[str, str, str | None]]) -> None:
        now = time.time()
        for reply_id, conversation, ts in replies:
            await self._pool.execute(
                "INSERT INTO outbox (reply_id, conversation, status, ts, created_at, "
                "updated_at) VALUES (%s, %s, 'delivered', %s, %s, %s) ON CONFLICT (reply_id) "
                "DO UPDATE SET status = 'delivered', ts = excluded.ts, "
                "updated_at = excluded.updated_at", [reply_id, conversation, ts, now, now])
