"""Every SQL statement Baton runs, behind one async seam (``Storage``) with typed rows.

``open_storage(path)`` gives the embedded SQLite backend; the engine, the Slack side, the
CLI and the playground depend only on ``Storage`` and the rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError
from .base import ContextBackend, Storage
from .rows import Claimed, ContextEntry, Conversation, Handoff, InboxEntry, LedgerRow
from .values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_POOL_SIZE, StoreError

__all__ = ["Claimed", "ContextBackend", "ContextEntry", "Conversation", "Handoff", "InboxEntry",
           "LedgerRow", "Storage", "StoreError", "is_database_url", "open_storage"]


def is_database_url(db: str | Path) -> bool:
    """Whether ``db`` names a PostgreSQL database rather than a SQLite file."""
    return str(db).startswith(("postgresql://", "postgres://"))


def open_storage(db: str | Path, *, clock: Callable[[], float] = time.time,
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
                 max_keys: int = DEFAULT_MAX_KEYS, pool_size: int = DEFAULT_POOL_SIZE) -> Storage:
    """The storage for ``db``: a PostgreSQL URL (``postgresql://...``; the ``postgres``
    extra; ``pool_size`` connections at most), else a SQLite file; the schema is created
    or migrated as needed."""
    if is_database_url(db):
        try:
            from .postgres import PostgresStorage
        except ImportError as error:
            raise ConfigError(f"a PostgreSQL database needs the postgres extra "
                              f"(pip install 'slack-baton[postgres]'): {error}") from None
        return PostgresStorage(str(db), clock=clock, max_value_bytes=max_value_bytes,
                               max_keys=max_keys, pool_size=pool_size)
    from .sqlite import SqliteStorage

    return SqliteStorage(db, clock=clock, max_value_bytes=max_value_bytes, max_keys=max_keys)
