"""The one SQLite file: opened through sqlite-utils, schema kept by its migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

migrations = Migrations("baton")


@migrations()
def create_conversations(db: Database) -> None:
    db["conversations"].create(
        {
            "id": str,
            "team": str,
            "channel": str,
            "thread_ts": str,  # None for a DM conversation's top-level messages
            "kind": str,  # "thread" or "dm"
            "owner": str,
            "started_ts": float,
            "last_ts": float,  # Slack ts of the latest user message, for DM idle timeouts
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={"team", "channel", "kind", "owner"},
    )
    db["conversations"].create_index(["team", "channel", "kind", "last_ts"])


@migrations()
def create_processed_events(db: Database) -> None:
    db["processed_events"].create({"key": str, "created_at": float}, pk="key")
    db["processed_events"].create_index(["created_at"])


@migrations()
def create_ledger(db: Database) -> None:
    db["ledger"].create(
        {
            "id": str,
            "conversation": str,
            "from_persona": str,
            "to_persona": str,
            "skill": str,
            "intent_id": str,
            "message": str,
            "status": str,  # "completed" or "failed"
            "reason": str,
            "kind": str,  # "transfer" (asked by a dialog) or "reroute" (off-topic follow-up)
            "resolution": str,  # how the receiver started: intent, message, welcome
            "event_id": str,
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={"conversation", "from_persona", "skill", "status"},
    )
    db["ledger"].create_index(["conversation", "created_at"])


@migrations()
def create_context_store(db: Database) -> None:
    db["context_namespaces"].create({"name": str, "ttl": float, "created_at": float}, pk="name")
    db["context_entries"].create(
        {
            "namespace": str,
            "scope": str,  # conversation, user or global
            "scope_key": str,  # conversation id, user id, or "" for global
            "key": str,
            "value": str,  # JSON
            "expires_at": float,  # None: never
            "updated_at": float,
        },
        pk=("namespace", "scope", "scope_key", "key"),
        not_null={"value"},
    )
    db["context_entries"].create_index(["expires_at"])
    db["context_entries"].create_index(["scope", "scope_key"])


@migrations()
def add_expected_answers(db: Database) -> None:
    # A persona's open question: "persona:answer name", until the timestamp.
    db["conversations"].add_column("expecting", str)
    db["conversations"].add_column("expecting_until", float)


@migrations()
def inbox_and_outbox(db: Database) -> None:
    # The inbox replaces processed_events: an admitted event's row is its dedup key (the
    # post: one per channel and ts, so app_mention/message twins and retries are one).
    # Without rowid, and without an index on time, an admission writes one b-tree: the
    # cheapest write SQLite can do, in the ack path of every event. Old rows are purged
    # by a scan in the worker thread.
    db.execute(
        "CREATE TABLE inbox (key TEXT PRIMARY KEY, kind TEXT NOT NULL, sequence TEXT NOT NULL, "
        "payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
        "error TEXT, state TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL) "
        "WITHOUT ROWID")
    db.execute("INSERT INTO inbox SELECT key, 'message', '', '{}', 'done', 0, NULL, NULL, "
               "created_at, created_at FROM processed_events WHERE key NOT LIKE 'event:%'")
    db["processed_events"].drop()
    # Every reply Slack has, by its stable id ("delivered", with Slack's ts).
    db.execute(
        "CREATE TABLE outbox (reply_id TEXT PRIMARY KEY, conversation TEXT NOT NULL, "
        "status TEXT NOT NULL, ts TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL) "
        "WITHOUT ROWID")



@migrations()
def inbox_order_and_leases(db: Database) -> None:
    # The order in the conversation (Slack's ts), a lease, and when a claim was refused:
    # what several instances on PostgreSQL need (the same columns there); one process on
    # SQLite orders and runs its entries in memory and leaves them empty.
    for column, kind in (("ordinal", float), ("lease_owner", str), ("lease_until", float),
                         ("deferred_at", float)):
        db["inbox"].add_column(column, kind)

@migrations()
def human_handoffs(db: Database) -> None:
    # A conversation handed to a human team: its card, whom the wait is for, until when.
    # The waits still open are found by status and due_at when timers are swept.
    db.execute(
        "CREATE TABLE handoffs (id TEXT PRIMARY KEY, conversation TEXT NOT NULL, "
        "team TEXT NOT NULL, sender TEXT NOT NULL, asker TEXT NOT NULL, message TEXT, note TEXT, "
        "agent TEXT, stage TEXT NOT NULL, status TEXT NOT NULL, claimed_by TEXT, "
        "card_channel TEXT, card_ts TEXT, due_at REAL NOT NULL, created_at REAL NOT NULL, "
        "updated_at REAL NOT NULL)")
    db.execute("CREATE INDEX idx_handoffs_status_due_at ON handoffs (status, due_at)")
    db.execute("CREATE INDEX idx_handoffs_conversation ON handoffs (conversation)")


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the database file in WAL mode and migrate it."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    db = Database(conn)
    if str(path) != ":memory:":
        db.enable_wal()
    # WAL makes NORMAL durable against application crashes; only power loss can
    # drop the last transactions, and it never corrupts the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    # A checkpoint can hold a commit for milliseconds; the app runs them in a worker
    # thread instead (SqliteContext.checkpoint), so commits on the event loop stay short.
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    # Two processes opening a fresh file at once: the write lock first, so the second
    # waits, then finds the migrations applied instead of creating the tables again.
    conn.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return db
