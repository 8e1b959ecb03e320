"""Context store throughput through the public API next to raw sqlite3, in one run.

Both sides do the same work on the same kind of file (WAL, synchronous=NORMAL): a set
is one autocommitted write of a JSON value, a get one primary-key read and a JSON decode.
Also reports how long single calls hold the event loop.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from adapter import Store
from adapter.storage.sqlite import open_database
from adapter.storage.sqlite.context import SqliteContext

OPS = 20_000
KEYS = 100
VALUE = {"city": "Oslo", "nights": 3, "dates": ["2026-12-01", "2026-12-04"]}


def raw_rates(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # as Baton's connection
    conn.execute("CREATE TABLE entries (namespace TEXT, scope TEXT, scope_key TEXT, key TEXT, "
                 "value TEXT NOT NULL, expires_at FLOAT, updated_at FLOAT, "
                 "PRIMARY KEY (namespace, scope, scope_key, key))")
    started = time.perf_counter()
    for i in range(OPS):
        # An upsert: the fastest single statement that sets a key, new or not.
        conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE "
                     "SET value = excluded.value, expires_at = excluded.expires_at, "
                     "updated_at = excluded.updated_at",
                     ["trip", "conversation", "T:C:1", f"k{i % KEYS}", json.dumps(VALUE), None,
                      time.time()])
    set_rate = OPS / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(OPS):
        row = conn.execute("SELECT value FROM entries WHERE namespace = ? AND scope = ? AND "
                           "scope_key = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)",
                           ["trip", "conversation", "T:C:1", f"k{i % KEYS}", time.time()]
                           ).fetchone()
        json.loads(row[0])
    get_rate = OPS / (time.perf_counter() - started)
    conn.close()
    return {"set": set_rate, "get": get_rate}


async def baton_rates(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    context = SqliteContext(open_database(path))
    store = Store(context).bind(user="U1", conversation="T:C:1")
    await store.register_namespace("trip", ttl=3600)
    held: dict[str, list[float]] = {"get": [], "set": []}
    for name in ("set", "get"):
        started = time.perf_counter()
        for i in range(OPS):
            call_started = time.perf_counter()
            if name == "set":
                await store.set("trip", f"k{i % KEYS}", VALUE)
            else:
                await store.get("trip", f"k{i % KEYS}")
            held[name].append(time.perf_counter() - call_started)
        held[name].append(time.perf_counter() - started)  # total, popped below
    rates = {name: OPS / times.pop() for name, times in held.items()}
    worst = {f"{name} p99 ms": sorted(t)[int(len(t) * 0.99)] * 1000 for name, t in held.items()}
    worst.update({f"{name} p99.9 ms": sorted(t)[int(len(t) * 0.999)] * 1000
                  for name, t in held.items()})
    worst.update({f"{name} max ms": max(t) * 1000 for name, t in held.items()})
    context.close()
    return rates, worst


async def measure(rounds: int = 5) -> dict[str, object]:
    """Rounds alternate raw and Baton so that machine noise hits both; medians reported."""
    raws, batons, helds = [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            raws.append(raw_rates(Path(folder) / "raw.db"))
            baton, held = await baton_rates(Path(folder) / "baton.db")
            batons.append(baton)
            helds.append(held)

    def median(runs: list[dict[str, float]], name: str) -> float:
        return statistics.median(run[name] for run in runs)

    return {"raw": {n: median(raws, n) for n in ("get", "set")},
            "baton": {n: median(batons, n) for n in ("get", "set")},
            "held": {n: max(h[n] for h in helds) if "max" in n else median(helds, n)
                     for n in helds[0]}}


def report(results: dict) -> str:
    raw, baton, held = results["raw"], results["baton"], results["held"]
    lines = ["| operation | Baton store ops/s | raw sqlite3 ops/s | Baton / raw |",
             "|---|---|---|---|"]
    for name in ("get", "set"):
        lines.append(f"| {name} | {baton[name]:,.0f} | {raw[name]:,.0f} | "
                     f"**{baton[name] / raw[name]:.2f}** |")
    lines += ["", "Medians of 5 alternating rounds. Time one call holds the event loop "
              "(percentiles: median of rounds; max: over all rounds): " + ", ".join(
        f"{name} {value:.3f}" for name, value in held.items()) + " (target: under ~1 ms). "
        "The max is a single call among 100,000 and varies from run to run (a few "
        "milliseconds to tens); p99.9 stays far under 1 ms. Its cause is not pinned down: "
        "a run of the same 100,000 sets without the benchmark's bookkeeping had no call over "
        "1 ms, and reads, which write nothing, have shown such stalls too."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(asyncio.run(measure())))
