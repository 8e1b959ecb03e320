"""The PostgreSQL schema, kept by yoyo-migrations (SQL files in migrations/)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(url: str) -> None:
    """Apply pending migrations; yoyo's own lock lets several instances start at once."""
    from yoyo import get_backend, read_migrations

    backend = get_backend(yoyo_url(url), migration_table="baton_migrations")
    with backend.lock():
        backend.apply_migrations(backend.to_apply(read_migrations(str(MIGRATIONS))))


def yoyo_url(url: str) -> str:
    """``postgresql://...`` as yoyo names its psycopg 3 backend, the search path (from
    ``options=-csearch_path=...``) as its ``schema`` argument."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    schema = search_path(url)
    query.pop("options", None)
    if schema:
        query["schema"] = [schema]
    return urlunsplit(("postgresql+psycopg", parts.netloc, parts.path,
                       urlencode(query, doseq=True), ""))


def search_path(url: str) -> str | None:
    """The schema a ``postgresql://...?options=-csearch_path%3Dname`` URL names, if any."""
    for option in parse_qs(urlsplit(url).query).get("options", []):
        for word in option.split():
            if word.startswith("-csearch_path="):
                return word.split("=", 1)[1]
    return None
