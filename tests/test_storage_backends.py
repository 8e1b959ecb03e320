"""The two backends keep the same tables, columns and constraints."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from adapter.storage import InboxEntry, open_storage
from adapter.storage.postgres.schema import search_path
from adapter.storage.sqlite import migrations, open_database

from .backends import SERVER, SKIP_REASON, postgres_schema

MIGRATION_TABLES = {"_sqlite_migrations", "baton_migrations"}


def sqlite_schema(path: Path) -> dict[str, dict[str, tuple[bool, bool]]]:
    """table -> column -> (not null, in the primary key)."""
    db = open_database(path)
    tables = {}
    for (table,) in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if table in MIGRATION_TABLES:
            continue
        columns = db.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        tables[table] = {name: (bool(notnull) or pk > 0, pk > 0)
                         for _, name, _, notnull, _, pk in columns}
    db.close()
    return tables


def postgres_schema_of(url: str) -> dict[str, dict[str, tuple[bool, bool]]]:
    import psycopg

    schema = search_path(url)
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = %s", [schema]).fetchall()
        keys = conn.execute(
            "SELECT k.table_name, k.column_name FROM information_schema.table_constraints c "
            "JOIN information_schema.key_column_usage k ON c.constraint_name = "
            "k.constraint_name AND c.table_schema = k.table_schema WHERE c.table_schema = %s "
            "AND c.constraint_type = 'PRIMARY KEY'", [schema]).fetchall()
    primary = set(keys)
    tables: dict[str, dict[str, tuple[bool, bool]]] = {}
    for table, column, nullable in columns:
        if table in MIGRATION_TABLES or table.startswith("_yoyo") or table.startswith("yoyo"):
            continue
        tables.setdefault(table, {})[column] = (nullable == "NO", (table, column) in primary)
    return tables


@pytest.mark.skipif(not SERVER, reason=SKIP_REASON)
async def test_sqlite_and_postgres_hold_the_same_tables_columns_and_constraints(
        tmp_path: Path) -> None:
    with postgres_schema() as url:
        storage = open_storage(url)  # migrates it
        await storage.aclose()
        on_postgres = postgres_schema_of(url)
    on_sqlite = sqlite_schema(tmp_path / "baton.db")
    assert set(on_sqlite) == {"conversations", "ledger", "context_namespaces",
                              "context_entries", "inbox", "outbox", "handoffs"}
    assert on_postgres == on_sqlite


async def test_an_inbox_from_before_the_postgres_backend_is_upgraded_and_kept(
        tmp_path: Path) -> None:
    """A database written by the single-process release gains the claim columns, and its
    pending entry stays pending."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="inbox_order_and_leases")
    db["inbox"].insert({"key": "post:T1:C1:1.0", "kind": "message", "sequence": "T1:C1:1.0",
                        "payload": '{"text": "where is my refund?"}', "status": "pending",
                        "attempts": 0, "created_at": 1.0, "updated_at": 1.0})
    db.close()
    storage = open_storage(path)
    assert await storage.admit(InboxEntry("post:T1:C1:2.0", "message", "T1:C1:1.0",
                                          {"text": "hello?"}, ordinal=2.0))
    assert [(e.key, e.status, e.payload, e.ordinal) for e in await storage.inbox()] == [
        ("post:T1:C1:1.0", "pending", {"text": "where is my refund?"}, None),
        ("post:T1:C1:2.0", "pending", {"text": "hello?"}, 2.0)]
    storage.close()
