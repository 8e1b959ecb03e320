"""The context store's data on SQLite: one row per key, JSON text, expiry as a timestamp.

Single-row calls run on the event loop (microseconds in WAL mode); calls that touch many
rows, and WAL checkpoints, run in a worker thread on their own connection, in batches.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlite_utils import Database

from ..context_rules import ContextRules
from ..rows import ContextEntry
from ..values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, check_name, check_namespace

_BATCH = 500  # rows per transaction in bulk deletes, so writers on the loop never wait long


class SqliteContext(ContextRules):
    """Namespaces of keys, per conversation, per user, or global; values are JSON."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], float] = time.time,
        max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
        max_keys: int = DEFAULT_MAX_KEYS,
    ) -> None:
        super().__init__(clock=clock, max_value_bytes=max_value_bytes, max_keys=max_keys)
        self._db = db
        self._conn = db.conn
        self._namespaces = dict(
            self._conn.execute("SELECT name, ttl FROM context_namespaces").fetchall()
        )
        self._worker: ThreadPoolExecutor | None = None
        self._worker_conn: sqlite3.Connection | None = None

    # --- namespaces ---------------------------------------------------------------

    def declare(self, namespaces: Mapping[str, float | None]) -> None:
        """Register the personas' namespaces now (SQLite is at hand: no need to wait)."""
        for name, ttl in namespaces.items():
            self._register(name, ttl)

    def _register(self, name: str, ttl: float | None = None) -> None:
        ttl = check_namespace(name, ttl)
        self._conn.execute(
            "INSERT INTO context_namespaces (name, ttl, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET ttl = excluded.ttl", [name, ttl, self.clock()])
        self._namespaces[name] = ttl

    async def register_namespace(self, name: str, ttl: float | None = None) -> None:
        """Create a namespace, or change its TTL (seconds; 0 or None = forever). Idempotent."""
        self._register(name, ttl)

    async def delete_namespace(self, name: str) -> None:
        """Delete a namespace and all its data."""
        self._namespace(name)
        await self._in_worker(self._delete_rows, "namespace = ?", [name])
        self._conn.execute("DELETE FROM context_namespaces WHERE name = ?", [name])
        del self._namespaces[name]

    # --- one key --------------------------------------------------------------------

    async def get(self, namespace: str, key: str, *, scope: str, scope_key: str,
                  default: Any = None) -> Any:
        self._namespace(namespace)
        row = self._conn.execute(
            "SELECT value FROM context_entries WHERE namespace = ? AND scope = ? AND "
            "scope_key = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)",
            [namespace, scope, scope_key, key, self.clock()],
        ).fetchone()
        return json.loads(row[0]) if row else default

    async def set(self, namespace: str, key: str, value: Any, *, scope: str, scope_key: str,
                  ttl: float | None = None) -> None:
        encoded = self._encode(namespace, key, value)
        expires_at = self._expiry(namespace, ttl)
        if self._overwrite(namespace, scope, scope_key, key, encoded, expires_at):
            return  # one autocommitted statement: the common case stays cheap
        with _immediate(self._conn):
            self._write(namespace, scope, scope_key, key, encoded, expires_at)

    async def delete(self, namespace: str, key: str, *, scope: str, scope_key: str) -> None:
        self._namespace(namespace)
        self._conn.execute(
            "DELETE FROM context_entries WHERE namespace = ? AND scope = ? AND scope_key = ? "
            "AND key = ?", [namespace, scope, scope_key, key])

    async def update(self, namespace: str, key: str, fn: Callable[[Any], Any], *, scope: str,
                     scope_key: str, default: Any = None, ttl: float | None = None) -> Any:
        """Atomically replace the value with ``fn(current)`` and return the new value."""
        self._namespace(namespace)
        check_name(key, "key")
        expires_at = self._expiry(namespace, ttl)
        with _immediate(self._conn):  # also excludes writers in other processes
            row = self._conn.execute(
                "SELECT value FROM context_entries WHERE namespace = ? AND scope = ? AND "
                "scope_key = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)",
                [namespace, scope, scope_key, key, self.clock()]).fetchone()
            new = fn(json.loads(row[0]) if row else default)
            self._write(namespace, scope, scope_key, key, self._encode(namespace, key, new),
                        expires_at)
        return new

    async def incr(self, namespace: str, key: str, by: int | float = 1, *, scope: str,
                   scope_key: str) -> int | float:
        """Atomically add ``by`` to a number (missing counts as 0) and return the result."""
        return await self.update(namespace, key, self._adder(namespace, key, by), scope=scope,
                                 scope_key=scope_key)

    def _overwrite(self, namespace: str, scope: str, scope_key: str, key: str, encoded: str,
                   expires_at: float | None) -> bool:
        return self._conn.execute(
            "UPDATE context_entries SET value = ?, expires_at = ?, updated_at = ? "
            "WHERE namespace = ? AND scope = ? AND scope_key = ? AND key = ?",
            [encoded, expires_at, self.clock(), namespace, scope, scope_key, key],
        ).rowcount == 1

    def _write(self, namespace: str, scope: str, scope_key: str, key: str, encoded: str,
               expires_at: float | None) -> None:
        """Insert or overwrite, within the caller's transaction, minding ``max_keys``."""
        if self._overwrite(namespace, scope, scope_key, key, encoded, expires_at):
            return
        # Expired rows still occupy the key; purge them here so they never count.
        self._conn.execute(
            "DELETE FROM context_entries WHERE namespace = ? AND scope = ? AND scope_key = ? "
            "AND key = ?", [namespace, scope, scope_key, key])
        count = self._conn.execute(
            "SELECT count(*) FROM context_entries WHERE namespace = ? AND scope = ? AND "
            "scope_key = ? AND (expires_at IS NULL OR expires_at > ?)",
            [namespace, scope, scope_key, self.clock()]).fetchone()[0]
        if count >= self.max_keys:
            raise self._too_many(namespace, scope, count)
        self._conn.execute(
            "INSERT INTO context_entries (value, expires_at, updated_at, namespace, scope, "
            "scope_key, key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [encoded, expires_at, self.clock(), namespace, scope, scope_key, key])

    # --- many keys --------------------------------------------------------------------

    async def all(self, namespace: str, *, scope: str, scope_key: str) -> dict[str, Any]:
        """Every live key of a namespace in one scope."""
        self._namespace(namespace)
        rows = await self._in_worker(
            lambda conn: conn.execute(
                "SELECT key, value FROM context_entries WHERE namespace = ? AND scope = ? AND "
                "scope_key = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key",
                [namespace, scope, scope_key, self.clock()]).fetchall())
        return {key: json.loads(value) for key, value in rows}

    async def clear(self, namespace: str, *, scope: str, scope_key: str) -> None:
        """Delete every key of a namespace in one scope."""
        self._namespace(namespace)
        await self._in_worker(self._delete_rows, "namespace = ? AND scope = ? AND scope_key = ?",
                              [namespace, scope, scope_key])

    async def purge_expired(self) -> int:
        """Delete expired entries; returns how many. The app runs this periodically."""
        return await self._in_worker(self._delete_rows, "expires_at <= ?", [self.clock()])

    async def entries(self, *, scope: str, scope_key: str) -> list[ContextEntry]:
        """Live entries of one scope, every namespace (for ``baton context show``)."""
        rows = self._conn.execute(
            "SELECT namespace, key, value, expires_at FROM context_entries WHERE scope = ? AND "
            "scope_key = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY namespace, key",
            [scope, scope_key, self.clock()]).fetchall()
        return [ContextEntry(ns, key, json.loads(value), exp) for ns, key, value, exp in rows]

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, off the event loop."""
        # Read the result: an unread cursor keeps a statement open, and the worker's next
        # COMMIT would fail with "SQL statements in progress".
        await self._in_worker(
            lambda conn: conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall())

    async def delete_in_worker(self, table: str, where: str, args: list[Any]) -> int:
        """Delete ``table``'s rows matching ``where``, in batches, in the worker thread."""
        return await self._in_worker(self._delete_rows, where, args, table)

    @staticmethod
    def _delete_rows(conn: sqlite3.Connection, where: str, args: list[Any],
                     table: str = "context_entries") -> int:
        # Batches by primary key (``key`` for a table without rowid), so writers on the
        # loop wait for one small transaction at most.
        row = {"inbox": "key", "outbox": "reply_id"}.get(table, "rowid")
        deleted = 0
        while True:
            with _immediate(conn):
                count = conn.execute(
                    f"DELETE FROM {table} WHERE {row} IN (SELECT {row} FROM {table} "
                    f"WHERE {where} LIMIT {_BATCH})", args).rowcount
            deleted += count
            if count < _BATCH:
                return deleted

    async def _in_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._path() == "":  # an in-memory database has no second connection
            return fn(self._conn, *args)
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="baton-store")
        return await asyncio.get_running_loop().run_in_executor(
            self._worker, self._call_in_worker, fn, args)

    def _call_in_worker(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        if self._worker_conn is None:
            self._worker_conn = sqlite3.connect(self._path(), isolation_level=None,
                                                check_same_thread=False)
            self._worker_conn.execute("PRAGMA busy_timeout = 5000")
        return fn(self._worker_conn, *args)

    def _path(self) -> str:
        return self._conn.execute("PRAGMA database_list").fetchone()[2]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=True)
            self._worker = None
        if self._worker_conn is not None:
            self._worker_conn.close()
            self._worker_conn = None


class _immediate:
    """BEGIN IMMEDIATE ... COMMIT: the write lock up front, so read-modify-write is atomic."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: Any, *_: Any) -> None:
        if kind is not None:
            self._conn.execute("ROLLBACK")
            return
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            # Never leave the write lock held: every other writer would wait on it.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
