"""How long each backend keeps what it no longer needs, and which rows those are: the
tables the maintenance purge keeps bounded, the same on SQLite and PostgreSQL."""

from __future__ import annotations

KEEP_EVENTS_SECONDS = 24 * 60 * 60  # done inbox entries (the dedup keys) and outbox rows
KEEP_TRANSFERS_SECONDS = 30 * 24 * 60 * 60  # finished transfers in the ledger

# table -> (rows past their time, given the cutoff as the one placeholder; how long kept).
# Pending and parked entries, and transfers still "started", are never purged: they are
# work to finish, or for an operator to see.
PURGED = {
    "inbox": ("status = 'done' AND updated_at < {}", KEEP_EVENTS_SECONDS),
    "outbox": ("updated_at < {}", KEEP_EVENTS_SECONDS),
    "ledger": ("status IN ('completed', 'failed') AND updated_at < {}", KEEP_TRANSFERS_SECONDS),
    "handoffs": ("status IN ('released', 'expired') AND updated_at < {}",
                 KEEP_TRANSFERS_SECONDS),
}
# Every table, for size reports (context_entries are purged by their own TTLs).
TABLES = ("conversations", "ledger", "inbox", "outbox", "handoffs", "context_entries",
          "context_namespaces")
