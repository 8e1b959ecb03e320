"""Routing the shipped helpdesk: the router's thresholds chosen on the validation set, and
first-hop accuracy on the held-back set (never used to choose anything), plus the time a
routing decision takes.

    python -m benchmarks.routing          (prints the sweep, the choice and both sets' tables)

The validation set (benchmarks/data/helpdesk_routing_val.tsv) and the held-back set
(helpdesk_routing.tsv) were each written blind by a helper that never saw the bots' training
phrases (nor the other set); neither is ever used as training data.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import Any

from adapter.cli.route import OUT_OF_SCOPE, read_labelled, registry_for, report, route
from adapter.routing import Thresholds, decide
from adapter.settings import Settings

DATA = Path(__file__).with_name("data")
VALIDATION = DATA / "helpdesk_routing_val.tsv"
HELD_BACK = DATA / "helpdesk_routing.tsv"
SKILL = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
SKILL_SURE = [0.8, 0.85, 0.9, 0.95, 0.99]
MIN_KEPT = 0.9  # out-of-scope messages the router must keep; the best accuracy above it wins


def _labelled(path: Path, registry: Any) -> list[tuple[str | None, str]]:
    return read_labelled(str(path), registry)


def sweep(rows: list[tuple[str | None, Any]], router: Any, directory: Any,
          base: Thresholds) -> list[dict[str, float]]:
    """First-hop accuracy and out-of-scope kept for each pair of skill thresholds, the
    rankings computed once per message."""
    found = []
    for skill, sure in product(SKILL, SKILL_SURE):
        if sure < skill:
            continue
        limits = replace(base, skill=skill, skill_sure=sure)
        right = inside = kept = outside = 0
        for area, ranked in rows:
            if ranked is None:  # the router's own dialog answers it
                sent, asked = None, False
            else:
                decision = decide(router.options(*ranked, directory), limits)
                sent = decision.options[0].skill if decision.action == "go" else None
                asked = decision.action == "ask"
            if area is None:
                outside += 1
                kept += sent is None and not asked
            else:
                inside += 1
                right += sent == area
        found.append({"skill": skill, "skill_sure": sure, "first_hop": right / inside,
                      "kept": kept / outside})
    return found


def choose(results: list[dict[str, float]]) -> dict[str, float]:
    """The most accurate pair that keeps at least ``MIN_KEPT`` out of scope (ties: the
    higher thresholds, which ask and keep more); else the one keeping the most."""
    fine = [r for r in results if r["kept"] >= MIN_KEPT]
    if not fine:
        return max(results, key=lambda r: (r["kept"], r["first_hop"]))
    return max(fine, key=lambda r: (r["first_hop"], r["kept"], r["skill"], r["skill_sure"]))


def table(path: Path, registry: Any, router: Any) -> str:
    tally: dict[str, Counter[str]] = {}
    for skill, text in _labelled(path, registry):
        routed = route(registry, router, text)
        counts = tally.setdefault(skill or OUT_OF_SCOPE[0], Counter())
        counts["rows"] += 1
        if skill is None:
            counts["right"] += routed.sent_to is None and not routed.offered
            counts["asked"] += bool(routed.offered)
        else:
            counts["right"] += routed.sent_to == skill
            counts["asked"] += skill in routed.offered
            counts["kept"] += routed.sent_to is None and not routed.offered
    return report(tally)


def decision_ms(registry: Any, router: Any, texts: list[str], rounds: int = 5) -> float:
    """Median time of one routing decision (own dialogs, both classifiers, the decision),
    as the router makes it for a new message; each text once per round."""
    times = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            route(registry, router, text)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure() -> dict[str, Any]:
    registry, router = registry_for(Settings.load())
    rows = []
    for area, text in _labelled(VALIDATION, registry):
        own = route(registry, router, text).own_dialog
        rows.append((area, None if own else (registry.rank(text), registry.rank_skills(text))))
    base = router.limits(registry)
    results = sweep(rows, router, registry, base)
    texts = [text for _, text in _labelled(VALIDATION, registry)]
    return {"sweep": results, "chosen": choose(results),
            "current": {"skill": router.skill_threshold, "skill_sure": router.skill_sure},
            "validation": table(VALIDATION, registry, router),
            "held_back": table(HELD_BACK, registry, router) if HELD_BACK.exists() else "",
            "decision_ms_p50": decision_ms(registry, router, texts)}


def report_sweep(results: list[dict[str, float]]) -> str:
    lines = ["| skill threshold | skill sure | first-hop accuracy | out of scope kept |",
             "|---|---|---|---|"]
    lines += [f"| {r['skill']:.2f} | {r['skill_sure']:.2f} | {r['first_hop']:.3f} | "
              f"{r['kept']:.3f} |" for r in results]
    return "\n".join(lines)


if __name__ == "__main__":
    measured = measure()
    print(report_sweep(measured["sweep"]))
    print("\nchosen on validation:", measured["chosen"], "router has:", measured["current"])
    print("\nvalidation set, as shipped:\n" + measured["validation"])
    print(f"\nrouting decision p50: {measured['decision_ms_p50']:.3f} ms")
