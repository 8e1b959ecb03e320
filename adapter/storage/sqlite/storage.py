"""Storage on one SQLite file: conversations, the ledger, admitted events, the context store.

Single-row statements run on the event loop: in WAL mode they take tens of microseconds,
less than a hop to a thread would. Bulk deletes and WAL checkpoints run in a worker
thread on their own connection (SqliteContext), so the loop is never held for long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..retention import PURGED, TABLES
from ..rows import LEDGER_COLUMNS, Claimed, Conversation, InboxEntry, LedgerRow
from ..values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES
from .context import SqliteContext
from .handoffs import HandoffTables
from .inbox import InboxTables
from .schema import open_database

_CONVERSATION = "id, team, channel, thread_ts, kind, owner, expecting, expecting_until"


class SqliteStorage(InboxTables, HandoffTables):
    """Everything Baton keeps, in one SQLite file (``:memory:`` for a throwaway)."""

    shared = False  # one process: it orders and runs its entries itself, in memory

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time,
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
                 max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self.path = str(path)
        self.db = open_database(path)
        self._conn = self.db.conn
        self.clock = clock
        self.context = SqliteContext(self.db, clock=clock, max_value_bytes=max_value_bytes,
                                     max_keys=max_keys)

    # --- conversations ------------------------------------------------------------------

    async def conversation(self, conversation_id: str) -> Conversation | None:
        row = self._conn.execute(f"SELECT {_CONVERSATION} FROM conversations WHERE id = ?",
                                 [conversation_id]).fetchone()
        return Conversation(*row) if row else None

    async def latest_dm(self, team: str, channel: str) -> tuple[Conversation, float] | None:
        row = self._conn.execute(
            f"SELECT {_CONVERSATION}, last_ts FROM conversations WHERE team = ? AND "
            "channel = ? AND kind = 'dm' ORDER BY last_ts DESC LIMIT 1", [team, channel]
        ).fetchone()
        return (Conversation(*row[:-1]), row[-1]) if row else None

    async def save_conversation(self, conversation: Conversation, ts: float) -> None:
        self._save_conversation(conversation, ts)

    def _save_conversation(self, conversation: Conversation, ts: float) -> None:
        self._conn.execute(
            "INSERT INTO conversations (id, team, channel, thread_ts, kind, owner, started_ts, "
            "last_ts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET last_ts = max(last_ts, excluded.last_ts), "
            # Stored mid-run by a transfer or a question, before its first message was:
            "started_ts = CASE started_ts WHEN 0 THEN excluded.started_ts ELSE started_ts END, "
            "updated_at = excluded.updated_at",
            [*self._identity(conversation), ts, ts, *self._now2()])

    async def set_expected(self, conversation: Conversation, *,
                           origin: tuple[str, Conversation] | None = None) -> None:
        with self.db.atomic():
            if origin is not None:
                self._keep_state(*origin)
            self._upsert_state(conversation)

    def _upsert_state(self, conversation: Conversation) -> None:
        """Insert the conversation, or set its owner and open question to these."""
        self._conn.execute(
            "INSERT INTO conversations (id, team, channel, thread_ts, kind, owner, expecting, "
            "expecting_until, started_ts, last_ts, created_at, updated_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "owner = excluded.owner, expecting = excluded.expecting, "
            "expecting_until = excluded.expecting_until, updated_at = excluded.updated_at",
            [*self._identity(conversation), conversation.expecting,
             conversation.expecting_until, *self._now2()])

    @staticmethod
    def _identity(conversation: Conversation) -> list[Any]:
        return [conversation.id, conversation.team, conversation.channel,
                conversation.thread_ts, conversation.kind, conversation.owner]

    @staticmethod
    def _now2() -> list[float]:
        now = time.time()
        return [now, now]

    def _set_owner(self, conversation_id: str, owner: str) -> None:
        # An open question belongs to the previous owner: it goes with the conversation.
        self._conn.execute(
            "UPDATE conversations SET owner = ?, expecting = NULL, expecting_until = NULL, "
            "updated_at = ? WHERE id = ?", [owner, time.time(), conversation_id])

    # --- the ledger ---------------------------------------------------------------------

    async def record_transfer(self, row: LedgerRow, *, handed: Conversation | None = None,
                              origin: tuple[str, Conversation] | None = None) -> None:
        with self.db.atomic():
            if origin is not None:
                self._keep_state(*origin)
            # A Run run again records its transfer again, under the same id.
            self._conn.execute(
                f"INSERT INTO ledger ({', '.join(LEDGER_COLUMNS)}) VALUES "
                f"({', '.join('?' * len(LEDGER_COLUMNS))}) ON CONFLICT (id) DO UPDATE SET "
                "status = excluded.status, reason = excluded.reason, "
                "to_persona = excluded.to_persona, updated_at = excluded.updated_at",
                [getattr(row, column) for column in LEDGER_COLUMNS])
            if handed is not None:
                self._upsert_state(handed)

    async def update_transfer(self, transfer_id: str, *, owner: str | None = None,
                              **changes: Any) -> None:
        unknown = set(changes) - set(LEDGER_COLUMNS)
        if unknown:
            raise ValueError(f"ledger rows have no column {sorted(unknown)[0]!r}")
        changes["updated_at"] = time.time()
        with self.db.atomic():
            self._conn.execute(
                f"UPDATE ledger SET {', '.join(f'{name} = ?' for name in changes)} WHERE id = ?",
                [*changes.values(), transfer_id])
            if owner is not None:
                conversation = self._conn.execute(
                    "SELECT conversation FROM ledger WHERE id = ?", [transfer_id]).fetchone()
                if conversation:
                    self._set_owner(conversation[0], owner)

    async def transfers(self, conversation: str | None = None) -> list[LedgerRow]:
        where, args = ("WHERE conversation = ?", [conversation]) if conversation else ("", [])
        rows = self._conn.execute(
            f"SELECT {', '.join(LEDGER_COLUMNS)} FROM ledger {where} "
            "ORDER BY created_at, rowid", args).fetchall()
        return [LedgerRow(*row) for row in rows]

    # --- lifecycle ----------------------------------------------------------------------

    async def finish(self, entry: InboxEntry, conversation: Conversation | None, ts: float,
                     *, claimant: tuple[str, float] | None = None) -> Claimed | None:
        done = ("UPDATE inbox SET status = 'done', error = NULL, updated_at = ? WHERE key = ?",
                [time.time(), entry.key])
        if conversation is None:  # one statement: atomic by itself, no transaction to open
            self._conn.execute(*done)
            return None
        with self.db.atomic():
            self._save_conversation(conversation, ts)
            self._conn.execute(*done)
        return None  # one process: it runs the next entry itself, in order

    async def maintain(self, *, purge: bool, now: float | None = None) -> None:
        await self.context.checkpoint()
        if purge:
            await self.context.purge_expired()
            now = time.time() if now is None else now
            for table, (where, keep) in PURGED.items():
                await self.context.delete_in_worker(table, where.format("?"), [now - keep])

    async def table_sizes(self) -> dict[str, dict[str, int]]:
        sizes = {}
        for table in TABLES:
            rows = self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            used = self._conn.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM "
                "sqlite_master WHERE tbl_name = ?)", [table]).fetchone()[0]
            sizes[table] = {"rows": rows, "bytes": used}
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        free = self._conn.execute("PRAGMA freelist_count").fetchone()[0]
        page = self._conn.execute("PRAGMA page_size").fetchone()[0]
        # Free pages are reused by later writes: the file stops growing, it does not shrink.
        sizes["(file, free pages included)"] = {"rows": free, "bytes": pages * page}
        return sizes

    def stats(self) -> dict[str, float]:
        return {}  # one process: no claims, no pool

    async def aclose(self) -> None:
        """Nothing to release before ``close``: the file stays open while the app lives."""

    def close(self) -> None:
        self.context.close()
        self.db.close()
