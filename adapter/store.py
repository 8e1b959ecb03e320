"""The context store as personas use it: namespaced JSON values per conversation, per
user, or global, with TTL. Every call is async, so a server backend can replace SQLite
without touching personas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .storage import ContextBackend, StoreError

__all__ = ["Store", "StoreError"]


class Store:
    """The context store as personas use it: scopes by name, bound to one user and
    conversation (``turn.store``), or unbound (``app.store``: global scope, or ``bind``)."""

    def __init__(self, store: ContextBackend, *, user: str | None = None,
                 conversation: str | None = None) -> None:
        self._store = store
        self._keys = {"conversation": conversation, "user": user, "global": ""}

    def bind(self, *, user: str | None = None, conversation: str | None = None) -> Store:
        """The store as seen from one user and/or conversation, e.g. in a script or test."""
        return Store(self._store, user=user, conversation=conversation)

    def _scope_key(self, scope: str) -> str:
        if scope not in self._keys:
            raise StoreError(f"scope {scope!r} is not one of 'conversation', 'user', 'global'.")
        key = self._keys[scope]
        if key is None:
            raise StoreError(f"no {scope} here: outside a dialog, use "
                             f"app.store.bind({scope}=...) to pick one.")
        return key

    async def register_namespace(self, name: str, ttl: float | None = None) -> None:
        """Create a namespace, or change its TTL (seconds; 0 or None = forever). Idempotent."""
        await self._store.register_namespace(name, ttl)

    async def delete_namespace(self, name: str) -> None:
        """Delete a namespace with all its data, in every scope."""
        await self._store.delete_namespace(name)

    async def get(self, namespace: str, key: str, *, scope: str = "conversation",
                  default: Any = None) -> Any:
        """The value of ``key``, or ``default`` when it is missing or expired."""
        return await self._store.get(namespace, key, scope=scope,
                                     scope_key=self._scope_key(scope), default=default)

    async def set(self, namespace: str, key: str, value: Any, *, scope: str = "conversation",
                  ttl: float | None = None) -> None:
        """Store a JSON value; ``ttl`` (seconds) overrides the namespace's."""
        await self._store.set(namespace, key, value, scope=scope,
                              scope_key=self._scope_key(scope), ttl=ttl)

    async def delete(self, namespace: str, key: str, *, scope: str = "conversation") -> None:
        await self._store.delete(namespace, key, scope=scope, scope_key=self._scope_key(scope))

    async def all(self, namespace: str, *, scope: str = "conversation") -> dict[str, Any]:
        """Every live key of the namespace in this scope."""
        return await self._store.all(namespace, scope=scope, scope_key=self._scope_key(scope))

    async def clear(self, namespace: str, *, scope: str = "conversation") -> None:
        """Delete every key of the namespace in this scope."""
        await self._store.clear(namespace, scope=scope, scope_key=self._scope_key(scope))

    async def update(self, namespace: str, key: str, fn: Callable[[Any], Any], *,
                     scope: str = "conversation", default: Any = None,
                     ttl: float | None = None) -> Any:
        """Atomically replace the value with ``fn(current or default)``; returns the new value."""
        return await self._store.update(namespace, key, fn, scope=scope,
                                        scope_key=self._scope_key(scope), default=default,
                                        ttl=ttl)

    async def incr(self, namespace: str, key: str, by: int | float = 1, *,
                   scope: str = "conversation") -> int | float:
        """Atomically add ``by`` (missing counts as 0); returns the new number."""
        return await self._store.incr(namespace, key, by, scope=scope,
                                      scope_key=self._scope_key(scope))
