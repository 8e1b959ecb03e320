"""What every context-store backend checks the same way: namespaces, names, values, TTLs,
and the limits; a backend only stores and finds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from .values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, StoreError, check_name, check_value


class ContextRules:
    """The backend-independent half of a context store."""

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
                 max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self.clock = clock
        self.max_value_bytes = max_value_bytes
        self.max_keys = max_keys
        self._namespaces: dict[str, float | None] = {}

    def namespaces(self) -> dict[str, float | None]:
        return dict(self._namespaces)

    def _namespace(self, name: str) -> float | None:
        try:
            return self._namespaces[name]
        except KeyError:
            check_name(name, "namespace")
            raise StoreError(
                f"namespace {name!r} is not registered: declare it with "
                f"Persona(..., namespaces={{{name!r}: ttl_seconds}}) or call "
                f"await store.register_namespace({name!r})."
            ) from None

    def _encode(self, namespace: str, key: str, value: Any) -> str:
        self._namespace(namespace)
        check_name(key, "key")
        check_value(value)
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        size = len(encoded.encode())
        if size > self.max_value_bytes:
            raise StoreError(f"value for {namespace}.{key} is {size:,} bytes; the limit is "
                             f"{self.max_value_bytes:,} (App max_value_bytes=).")
        return encoded

    def _expiry(self, namespace: str, ttl: float | None) -> float | None:
        if ttl is not None and (not isinstance(ttl, (int, float)) or ttl <= 0):
            raise StoreError(f"ttl={ttl!r}: give seconds > 0, or leave it out to use the "
                             "namespace's TTL.")
        seconds = ttl or self._namespaces[namespace]
        return self.clock() + seconds if seconds else None

    def _too_many(self, namespace: str, scope: str, count: int) -> StoreError:
        return StoreError(f"namespace {namespace!r} already holds {count:,} keys in this "
                          f"{scope} scope, the limit (App max_keys=); delete some or clear "
                          "the scope.")

    @staticmethod
    def _adder(namespace: str, key: str, by: int | float) -> Callable[[Any], Any]:
        """``incr`` as an ``update`` function: missing counts as 0; not a number refused."""
        def add(current: Any) -> Any:
            if current is None:
                return by
            if isinstance(current, bool) or not isinstance(current, (int, float)):
                raise StoreError(f"incr({namespace!r}, {key!r}): the value is "
                                 f"{type(current).__name__} {current!r}, not a number.")
            return current + by

        return add
