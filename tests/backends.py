"""The storage backends the suites run on: SQLite always, PostgreSQL when one is given.

``BATON_TEST_DATABASE_URL=postgresql://user@host:port/db`` names a server the tests may
create schemas in (one per test, dropped after it); ``bash .ci/run`` starts a throwaway
cluster and sets it. Without it the PostgreSQL runs are skipped, saying so.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

SERVER = os.environ.get("BATON_TEST_DATABASE_URL", "")
SKIP_REASON = ("PostgreSQL is not configured: set BATON_TEST_DATABASE_URL=postgresql://user@host:"
               "port/db (`bash .ci/run` starts a throwaway cluster and sets it)")
# The suites that run on both: the store, the engine and transfers, and reliability.
BOTH = {"test_store", "test_handoff", "test_conversations", "test_ordering", "test_buttons",
        "test_clicks", "test_personas", "test_recovery", "test_web_api", "test_crash",
        "test_storage_backends", "test_retention", "test_human_team", "test_outbox",
        "test_agent_threads"}


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test server, as a URL whose connections use it."""
    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in SERVER else "?"
    try:
        yield f"{SERVER}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')
