"""The scale benchmark's tables (Markdown) and plot (PNG, matplotlib from the bench extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .load import Level

PLOT = Path(__file__).with_name("scale.png")
BARE, SQLITE = "bare Bolt", "Baton, SQLite"


def report(results: dict[str, Any]) -> str:
    levels: dict[str, dict[int, Level]] = results["levels"]
    lines = ["| server | conversations at once | messages | messages/s | p95 ms | median ms "
             "| vs bare Bolt (messages/s) |", "|---|---|---|---|---|---|---|"]
    for name, by_level in levels.items():
        for conversations, level in by_level.items():
            bare = levels[BARE][conversations].per_second
            lines.append(f"| {name} | {conversations:,} | {level.messages:,} | "
                         f"{level.per_second:,.0f} | {level.p95_ms:.1f} | {level.median_ms:.1f} "
                         f"| {level.per_second / bare:.2f}x |")
    top = max(levels[BARE])
    ratio = levels[SQLITE][top].per_second / levels[BARE][top].per_second
    lines += ["", f"Throughput at {top:,} conversations at once, one instance on SQLite / bare "
                  f"Bolt: **{ratio:.2f}x** (target >= 0.8x).", ""]
    lines += cpu_table(levels)
    lines += ["", f"PostgreSQL: {results['postgres']}.", ""]
    lines += bloat_table(results["bloat"])
    lines += ["", "| server | peak RSS MB, per process |", "|---|---|"]
    for name, sizes in results["peak_rss_mb"].items():
        lines.append(f"| {name} | {', '.join(f'{size:.0f}' for size in sizes)} |")
    lines += ["", "| cold start, process start to first answer (median of 3) | seconds |",
              "|---|---|"]
    for name, seconds in results["cold_start"].items():
        lines.append(f"| {name} | {seconds:.2f} |")
    return "\n".join(lines)


def cpu_table(levels: dict[str, dict[int, Level]]) -> list[str]:
    """CPU per message of each process, PostgreSQL's own, and the claim and lease waits."""
    lines = ["| server | conversations at once | CPU ms per message, per process | CPU ms "
             "per message, all processes | PostgreSQL CPU ms per message | lock and lease "
             "waits / handling | lock waits | lease waits | claims refused |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, by_level in levels.items():
        for conversations, level in by_level.items():
            each = level.cpu_ms_per_message()
            shared = "PostgreSQL" in name
            postgres = f"{level.postgres_cpu * 1000 / level.messages:.2f}" if shared else "-"
            shares = [level.wait_share(), level.share("lock_wait"), level.share("lease_wait")]
            refused = sum(h.get("deferred", 0) for h in level.health) / level.messages
            waits = " | ".join(f"{share:.1%}" if shared and share is not None else "-"
                               for share in shares)
            lines.append(f"| {name} | {conversations:,} | {', '.join(f'{c:.2f}' for c in each)} "
                         f"| {sum(each):.2f} | {postgres} | {waits} | "
                         f"{f'{refused:.0%}' if shared else '-'} |")
    return lines


def bloat_table(bloat: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| database | table | rows after 100,000 messages | size KB | rows after the "
             "retention window | size KB |", "|---|---|---|---|---|---|"]
    for backend, figures in bloat.items():
        after, kept = figures["after"], figures["after_retention"]
        for table in after:
            lines.append(f"| {backend} | {table} | {after[table]['rows']:,} | "
                         f"{after[table]['bytes'] / 1024:,.0f} | {kept[table]['rows']:,} | "
                         f"{kept[table]['bytes'] / 1024:,.0f} |")
        lines.append(f"| {backend} | ({figures['messages']:,} messages in "
                     f"{figures['seconds']:.0f} s) | | | | |")
    return lines + ["", "Rows are bounded by the retention window (a day for inbox and "
                    "outbox, 30 days for the ledger). SQLite's file and PostgreSQL's tables "
                    "keep the space of deleted rows for the rows that follow (free pages; "
                    "autovacuum), so a database's size levels off at one window's rows rather "
                    "than shrinking at once."]


def plot(results: dict[str, Any], path: Path) -> None:
    """Messages per second and p95 latency against conversations at once, per server."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (rate, p95) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, by_level in results["levels"].items():
        counts = list(by_level)
        rate.plot(counts, [by_level[c].per_second for c in counts], marker="o", label=name)
        p95.plot(counts, [by_level[c].p95_ms for c in counts], marker="o", label=name)
    for axes, title in ((rate, "messages per second"), (p95, "p95 latency, ms")):
        axes.set_xscale("log")
        axes.set_xlabel("conversations at once")
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
    p95.set_yscale("log")
    rate.legend(fontsize=8)
    figure.suptitle("Baton beside bare Bolt, every server its own process over HTTP "
                    "(2 shared cores)", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
