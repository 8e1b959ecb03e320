"""Every SQL statement Baton runs, behind one async seam (``Storage``) with typed rows.

``open_storage(path)`` gives the embedded SQLite backend; the engine, the Slack side, the
CLI and the playground depend only on ``Storage`` and the rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .base import ContextBackend, Storage
from .rows import ContextEntry, Conversation, InboxEntry, LedgerRow
from .values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, StoreError

__all__ = ["ContextBackend", "ContextEntry", "Conversation", "InboxEntry", "LedgerRow", "Storage",
           "StoreError", "open_storage"]


def open_storage(db: str | Path, *, clock: Callable[[], float] = time.time,
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
                 max_keys: int = DEFAULT_MAX_KEYS) -> Storage:
    """The storage for ``db``: a SQLite file (created and migrated if needed)."""
    from .sqlite import SqliteStorage

    return SqliteStorage(db, clock=clock, max_value_bytes=max_value_bytes, max_keys=max_keys)
