"""A PostgreSQL server for the scale benchmark: the one named by BATON_BENCH_DATABASE_URL
(or BATON_TEST_DATABASE_URL), else a throwaway cluster started with `.ci/postgres` when
this machine can (PostgreSQL installed, run as root so that the server runs as postgres).
Each group of instances gets a fresh database of its own."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
# As SQLite's WAL with synchronous=NORMAL: a commit survives the process, not the machine.
OPTIONS = "-c synchronous_commit=off -c max_connections=300"


@contextmanager
def server() -> Iterator[tuple[str | None, str]]:
    """(a server URL, how it was found), or (None, why there is none)."""
    given = os.environ.get("BATON_BENCH_DATABASE_URL") or os.environ.get(
        "BATON_TEST_DATABASE_URL")
    if given:
        yield given, "the server BATON_BENCH_DATABASE_URL (or BATON_TEST_DATABASE_URL) names"
        return
    if os.geteuid() != 0 or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        yield None, ("no PostgreSQL: set BATON_BENCH_DATABASE_URL=postgresql://... or run "
                     "as root on a machine with Debian's postgresql package")
        return
    folder = tempfile.mkdtemp(prefix="baton-bench-pg.")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = str(ROOT / ".ci" / "postgres")
    url = subprocess.run(["bash", script, "start", folder, str(port), OPTIONS], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        yield url, f"a throwaway cluster (`.ci/postgres`, `{OPTIONS}`)"
    finally:
        subprocess.run(["bash", script, "stop", folder], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new, empty database on the server at ``url``, dropped after."""
    import psycopg

    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL server process on this machine so far (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name.startswith("postgres"):
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
