"""Scale: throughput and p95 latency at 1, 10, 100 and 1,000 concurrent conversations, for
bare Bolt, one Baton instance on SQLite, and 1, 2 and 3 Baton instances on one PostgreSQL
database, all as their own processes over HTTP in the same run; CPU per message of every
process; the time messages waited on claims and leases; the database after 100,000
messages, and after its retention window; peak memory; cold start to the first answer.

    python -m benchmarks.scale            (writes benchmarks/scale.png; prints the tables)
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from contextlib import AsyncExitStack, ExitStack
from pathlib import Path
from typing import Any

from adapter.storage import open_storage
from adapter.storage.retention import KEEP_EVENTS_SECONDS, KEEP_TRANSFERS_SECONDS

from . import load
from .load import Level, Server, Talk, Workspace
from .postgres import fresh_database, postgres_cpu_seconds, server
from .process import free_port

LEVELS = (1, 10, 100, 1000)
MESSAGES = {1: 400, 10: 60, 100: 10, 1000: 4}  # per conversation at each level
ROUNDS = 3  # of each level on each group; the median counts
BOTS = "benchmarks.process_bots"
BLOAT_CONVERSATIONS, BLOAT_MESSAGES, BLOAT_AT_ONCE = 10_000, 10, 1000  # 100,000 messages


async def start_group(stack: AsyncExitStack, folder: Path, api_url: str, secret: str,
                      name: str, instances: int, database: str | None) -> list[Server]:
    servers = []
    for n in range(instances):
        port = free_port()
        where = {"BATON_DATABASE_URL": database} if database else {
            "BATON_DB": str(folder / f"{name}.db")}
        command = load.bolt_command(port) if name == "bare Bolt" else load.baton_command(BOTS)
        env = load.server_env(api_url, secret, BATON_PORT=str(port), BATON_INSTANCE=f"{name}-{n}",
                         **where)
        started = await load.start_server(command, env, port, folder / f"{name}-{n}.log")
        stack.push_async_callback(started.stop)
        servers.append(started)
    return servers


async def measure_levels(workspace: Workspace, groups: dict[str, list[Server]],
                         secret: str) -> dict[str, dict[int, Level]]:
    """Each level on each group in turn, ``ROUNDS`` times, so that noise hits all alike;
    per group and level, the round of median throughput."""
    rounds: dict[str, dict[int, list[Level]]] = {name: {c: [] for c in LEVELS} for name in groups}
    talks = {name: Talk(workspace, servers, secret).open() for name, servers in groups.items()}
    try:
        for talk in talks.values():
            await talk.level(10, 10)  # warm-up: connections, caches, the classifier
        for conversations in LEVELS:
            for _ in range(ROUNDS):
                for name, talk in talks.items():
                    postgres_before = postgres_cpu_seconds()
                    level = await talk.level(conversations, MESSAGES[conversations])
                    level.postgres_cpu = postgres_cpu_seconds() - postgres_before
                    rounds[name][conversations].append(level)
    finally:
        for talk in talks.values():
            await talk.close()
    return {name: {c: sorted(levels, key=lambda level: level.per_second)[len(levels) // 2]
                   for c, levels in by_level.items()} for name, by_level in rounds.items()}


async def bloat(workspace: Workspace, folder: Path, api_url: str, secret: str,
                database: str | None) -> dict[str, Any]:
    """100,000 messages (each conversation begins with a transfer) on one instance; rows
    and size after, then after the retention window has passed (maintenance run)."""
    name = "bloat-pg" if database else "bloat-sqlite"
    async with AsyncExitStack() as stack:
        servers = await start_group(stack, folder, api_url, secret, name, 1, database)
        started = time.perf_counter()
        async with Talk(workspace, servers, secret) as talk:
            for _ in range(BLOAT_CONVERSATIONS // BLOAT_AT_ONCE):
                await talk.level(BLOAT_AT_ONCE, BLOAT_MESSAGES, "transfer please")
        seconds = time.perf_counter() - started
    target = database or str(folder / f"{name}.db")
    storage = open_storage(target)
    try:
        rows = await storage.table_sizes()
        # Retention: done inbox entries and outbox rows after their dedup window, finished
        # transfers after theirs; maintenance as every instance runs it.
        later = time.time() + max(KEEP_EVENTS_SECONDS, KEEP_TRANSFERS_SECONDS) + 60
        await storage.maintain(purge=True, now=later)
        kept = await storage.table_sizes()
    finally:
        await storage.aclose()
        storage.close()
    return {"messages": BLOAT_CONVERSATIONS * BLOAT_MESSAGES, "seconds": seconds,
            "after": rows, "after_retention": kept}


async def cold_start(workspace: Workspace, folder: Path, api_url: str, secret: str,
                     name: str, bots: str | None) -> float:
    """Seconds from starting the process until its first answer reaches Slack."""
    port = free_port()
    command = load.bolt_command(port) if bots is None else load.baton_command(bots)
    env = load.server_env(api_url, secret, BATON_PORT=str(port),
                     BATON_DB=str(folder / f"cold-{name}-{port}.db"))
    begun = time.perf_counter()
    started = await load.start_server(command, env, port, folder / f"cold-{name}-{port}.log")
    try:
        async with Talk(workspace, [started], secret) as talk:
            latencies: list[float] = []
            await talk.conversation(f"CCOLD{port}", "plain please" if bots == BOTS else
                                    "when do salaries get paid?", 1, latencies)
        return time.perf_counter() - begun
    finally:
        await started.stop()


async def measure() -> dict[str, Any]:
    workspace = Workspace()
    api_url = await workspace.start()
    secret = load.new_secret()
    results: dict[str, Any] = {}
    with ExitStack() as sync_stack:
        folder = Path(sync_stack.enter_context(tempfile.TemporaryDirectory()))
        postgres, results["postgres"] = sync_stack.enter_context(server())
        async with AsyncExitStack() as stack:
            groups = {"bare Bolt": await start_group(stack, folder, api_url, secret,
                                                     "bare Bolt", 1, None),
                      "Baton, SQLite": await start_group(stack, folder, api_url, secret,
                                                         "sqlite", 1, None)}
            if postgres:
                for instances in (1, 2, 3):
                    database = sync_stack.enter_context(fresh_database(postgres))
                    groups[f"Baton, PostgreSQL x{instances}"] = await start_group(
                        stack, folder, api_url, secret, f"pg{instances}", instances, database)
            results["levels"] = await measure_levels(workspace, groups, secret)
            results["peak_rss_mb"] = {name: [s.peak_rss_mb() for s in servers]
                                      for name, servers in groups.items()}
        results["bloat"] = {"SQLite": await bloat(workspace, folder, api_url, secret, None)}
        if postgres:
            database = sync_stack.enter_context(fresh_database(postgres))
            results["bloat"]["PostgreSQL"] = await bloat(workspace, folder, api_url, secret,
                                                         database)
        results["cold_start"] = {
            name: statistics.median([await cold_start(workspace, folder, api_url, secret,
                                                      name, bots) for _ in range(3)])
            for name, bots in (("bare Bolt", None), ("Baton (benchmark bots)", BOTS),
                               ("Baton (shipped helpdesk)", "bots"))}
    await workspace.stop()
    return results


if __name__ == "__main__":
    from .scale_report import PLOT, plot, report

    measured = asyncio.run(measure())
    plot(measured, PLOT)
    print(report(measured))
