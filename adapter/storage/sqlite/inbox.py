"""The inbox and the outbox on SQLite: admitted events until their Run is done, and every
reply by its stable id, so a Run run again never posts a reply twice."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..rows import INBOX_COLUMNS, Conversation, InboxEntry


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False,
                                                  separators=(",", ":"))


def _entry(row: tuple[Any, ...]) -> InboxEntry:
    values = dict(zip(INBOX_COLUMNS, row, strict=True))
    values["payload"] = json.loads(values["payload"])
    values["state"] = json.loads(values["state"]) if values["state"] else None
    return InboxEntry(**values)


class InboxTables:
    """The inbox and outbox statements of ``SqliteStorage`` (which mixes this in)."""

    _conn: sqlite3.Connection

    # --- the inbox ----------------------------------------------------------------------

    async def admit(self, entry: InboxEntry) -> bool:
        # One autocommitted statement on a table of one b-tree: in the ack path of every
        # event, on a machine that was idle, each statement and each b-tree runs cold.
        now = time.time()
        return self._conn.execute(
            "INSERT OR IGNORE INTO inbox (key, kind, sequence, payload, status, attempts, "
            "created_at, updated_at, ordinal) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
            [entry.key, entry.kind, entry.sequence, _encode(entry.payload), now, now,
             entry.ordinal],
        ).rowcount == 1

    async def inbox_entry(self, key: str) -> InboxEntry | None:
        row = self._conn.execute(f"SELECT {', '.join(INBOX_COLUMNS)} FROM inbox WHERE key = ?",
                                 [key]).fetchone()
        return _entry(row) if row else None

    async def inbox(self, status: str | None = None) -> list[InboxEntry]:
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        rows = self._conn.execute(
            f"SELECT {', '.join(INBOX_COLUMNS)} FROM inbox {where} ORDER BY created_at, key",
            args).fetchall()
        return [_entry(row) for row in rows]

    async def claim(self, entry: InboxEntry, owner: str, lease: float) -> bool | None:
        """One process: its entries need no lease; replays know they are replays."""
        return False

    async def renew(self, key: str, owner: str, lease: float) -> None:
        return None

    async def release(self, key: str, owner: str) -> None:
        return None

    async def begin_attempt(self, key: str) -> int:
        self._conn.execute("UPDATE inbox SET attempts = attempts + 1, updated_at = ? "
                           "WHERE key = ?", [time.time(), key])
        row = self._conn.execute("SELECT attempts FROM inbox WHERE key = ?", [key]).fetchone()
        return int(row[0]) if row else 0

    async def fail_attempt(self, key: str, error: str, *, park: bool = False) -> None:
        self._conn.execute("UPDATE inbox SET status = ?, error = ?, updated_at = ? WHERE key = ?",
                           ["parked" if park else "pending", error, time.time(), key])

    def _keep_state(self, key: str, origin: Conversation) -> None:
        """Keep the conversation as a Run found it, the first time the Run changes it."""
        self._conn.execute("UPDATE inbox SET state = ? WHERE key = ? AND state IS NULL",
                           [_encode(asdict(origin)), key])

    # --- the outbox ---------------------------------------------------------------------

    async def reply_status(self, reply_id: str) -> tuple[str, str | None] | None:
        row = self._conn.execute("SELECT status, ts FROM outbox WHERE reply_id = ?",
                                 [reply_id]).fetchone()
        return (row[0], row[1]) if row else None

    async def mark_delivered(self, replies: Sequence[tuple[str, str, str | None]]) -> None:
        for reply_id, conversation, ts in replies:
            self._delivered(reply_id, conversation, ts)

    async def mark_streaming(self, reply_id: str, conversation: str, ts: str) -> None:
        now = time.time()
        self._conn.execute(
            "INSERT INTO outbox (reply_id, conversation, status, ts, created_at, updated_at) "
            "VALUES (?, ?, 'streaming', ?, ?, ?) ON CONFLICT (reply_id) DO NOTHING",
            [reply_id, conversation, ts, now, now])

    def _delivered(self, reply_id: str, conversation: str, ts: str | None) -> None:
        now = time.time()
        self._conn.execute(
            "INSERT INTO outbox (reply_id, conversation, status, ts, created_at, updated_at) "
            "VALUES (?, ?, 'delivered', ?, ?, ?) ON CONFLICT (reply_id) DO UPDATE SET "
            "status = 'delivered', ts = excluded.ts, updated_at = excluded.updated_at",
            [reply_id, conversation, ts, now, now])
