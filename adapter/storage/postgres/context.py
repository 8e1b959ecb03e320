"""The context store's data on PostgreSQL: the same rows and rules as on SQLite, with
row locks where SQLite takes its file's write lock."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ..context_rules import ContextRules
from ..rows import ContextEntry
from ..values import check_name, check_namespace
from .pool import Pool

_BATCH = 500  # rows per statement in bulk deletes
# An advisory lock for purging: several instances may run their maintenance at once.
PURGE_LOCK = 0x6274  # "bt": the advisory lock class of maintenance


class PostgresContext(ContextRules):
    """Namespaces of keys, per conversation, per user, or global; values are JSON."""

    def __init__(self, pool: Pool, **limits: Any) -> None:
        super().__init__(**limits)
        self._pool = pool
        self._declared: dict[str, float | None] = {}

    def declare(self, namespaces: Mapping[str, float | None]) -> None:
        for name, ttl in namespaces.items():
            self._namespaces[name] = check_namespace(name, ttl)
        self._declared.update(self._namespaces)

    async def _ready(self, namespace: str) -> None:
        """Register the declared namespaces once; learn those other instances registered."""
        if self._declared:
            declared, self._declared = self._declared, {}
            for name, ttl in declared.items():
                await self.register_namespace(name, ttl)
        if namespace not in self._namespaces:
            rows = await self._pool.execute("SELECT name, ttl FROM context_namespaces")
            self._namespaces.update(dict(rows))
        self._namespace(namespace)

    async def register_namespace(self, name: str, ttl: float | None = None) -> None:
        ttl = check_namespace(name, ttl)
        await self._pool.execute(
            "INSERT INTO context_namespaces (name, ttl, created_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET ttl = excluded.ttl", [name, ttl, self.clock()])
        self._namespaces[name] = ttl

    async def delete_namespace(self, name: str) -> None:
        await self._ready(name)
        await self._pool.execute("DELETE FROM context_entries WHERE namespace = %s", [name])
        await self._pool.execute("DELETE FROM context_namespaces WHERE name = %s", [name])
        del self._namespaces[name]

    _LIVE = "(expires_at IS NULL OR expires_at > %s)"
    _WHERE = "namespace = %s AND scope = %s AND scope_key = %s AND key = %s"

    async def get(self, namespace: str, key: str, *, scope: str, scope_key: str,
                  default: Any = None) -> Any:
        await self._ready(namespace)
        rows = await self._pool.execute(
            f"SELECT value FROM context_entries WHERE {self._WHERE} AND {self._LIVE}",
            [namespace, scope, scope_key, key, self.clock()])
        return json.loads(rows[0][0]) if rows else default

    async def set(self, namespace: str, key: str, value: Any, *, scope: str, scope_key: str,
                  ttl: float | None = None) -> None:
        await self._ready(namespace)
        encoded, expires_at = self._encode(namespace, key, value), self._expiry(namespace, ttl)
        await self._write(namespace, scope, scope_key, key, lambda _: encoded, expires_at)

    async def delete(self, namespace: str, key: str, *, scope: str, scope_key: str) -> None:
        await self._ready(namespace)
        await self._pool.execute(f"DELETE FROM context_entries WHERE {self._WHERE}",
                                 [namespace, scope, scope_key, key])

    async def update(self, namespace: str, key: str, fn: Callable[[Any], Any], *, scope: str,
                     scope_key: str, default: Any = None, ttl: float | None = None) -> Any:
        await self._ready(namespace)
        check_name(key, "key")
        expires_at = self._expiry(namespace, ttl)
        result: list[Any] = []

        def encode(current: str | None) -> str:
            result.append(fn(json.loads(current) if current is not None else default))
            return self._encode(namespace, key, result[-1])

        await self._write(namespace, scope, scope_key, key, encode, expires_at)
        return result[-1]

    async def incr(self, namespace: str, key: str, by: int | float = 1, *, scope: str,
                   scope_key: str) -> int | float:
        return await self.update(namespace, key, self._adder(namespace, key, by), scope=scope,
                                 scope_key=scope_key)

    async def _write(self, namespace: str, scope: str, scope_key: str, key: str,
                     encode: Callable[[str | None], str], expires_at: float | None) -> None:
        """Read the live value under a lock on its scope, write ``encode(value)``, minding
        ``max_keys``: one transaction, so instances never lose an update or overshoot."""
        async with self._pool.connection() as conn, conn.transaction():
            # The scope's lock: a key that does not exist yet cannot be row-locked.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               [f"{namespace}\x1f{scope}\x1f{scope_key}"])
            cursor = await conn.execute(
                f"SELECT value, {self._LIVE} FROM context_entries WHERE {self._WHERE}",
                [self.clock(), namespace, scope, scope_key, key])
            found = await cursor.fetchone()
            live = found is not None and found[1]
            encoded = encode(found[0] if live else None)
            if not live:
                cursor = await conn.execute(
                    f"SELECT count(*) FROM context_entries WHERE namespace = %s AND "
                    f"scope = %s AND scope_key = %s AND {self._LIVE}",
                    [namespace, scope, scope_key, self.clock()])
                count = (await cursor.fetchone())[0]
                if count >= self.max_keys:
                    raise self._too_many(namespace, scope, count)
            await conn.execute(
                "INSERT INTO context_entries (namespace, scope, scope_key, key, value, "
                "expires_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT "
                "(namespace, scope, scope_key, key) DO UPDATE SET value = excluded.value, "
                "expires_at = excluded.expires_at, updated_at = excluded.updated_at",
                [namespace, scope, scope_key, key, encoded, expires_at, self.clock()])

    async def all(self, namespace: str, *, scope: str, scope_key: str) -> dict[str, Any]:
        await self._ready(namespace)
        rows = await self._pool.execute(
            f"SELECT key, value FROM context_entries WHERE namespace = %s AND scope = %s AND "
            f"scope_key = %s AND {self._LIVE} ORDER BY key",
            [namespace, scope, scope_key, self.clock()])
        return {key: json.loads(value) for key, value in rows}

    async def clear(self, namespace: str, *, scope: str, scope_key: str) -> None:
        await self._ready(namespace)
        await self._pool.execute(
            "DELETE FROM context_entries WHERE namespace = %s AND scope = %s AND scope_key = %s",
            [namespace, scope, scope_key])

    async def entries(self, *, scope: str, scope_key: str) -> list[ContextEntry]:
        rows = await self._pool.execute(
            f"SELECT namespace, key, value, expires_at FROM context_entries WHERE scope = %s "
            f"AND scope_key = %s AND {self._LIVE} ORDER BY namespace, key",
            [scope, scope_key, self.clock()])
        return [ContextEntry(ns, key, json.loads(value), exp) for ns, key, value, exp in rows]

    async def purge_expired(self) -> int:
        """Delete expired entries in batches; one instance at a time does it."""
        return await delete_batches(self._pool, "context_entries", "expires_at <= %s",
                                    [self.clock()])


async def delete_batches(pool: Pool, table: str, where: str, args: list[Any]) -> int:
    """Delete ``table``'s rows matching ``where`` in batches, unless another instance is at
    it (a transaction-scoped advisory lock: safe behind transaction-pooling proxies)."""
    deleted = 0
    while True:
        async with pool.connection() as conn, conn.transaction():
            cursor = await conn.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                                        [PURGE_LOCK, table])
            if not (await cursor.fetchone())[0]:
                return deleted
            cursor = await conn.execute(
                f"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE {where} "
                f"LIMIT {_BATCH})", args)
            count = cursor.rowcount
        deleted += count
        if count < _BATCH:
            return deleted
