"""``baton route``: what the router would do with a message, and why; with ``--file``, how
often it sends a set of labelled messages to the right desk on the first message."""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import BatonError
from ..registry import Registry
from ..router import Router
from ..routing import Decision
from ..settings import Settings
from .loading import load_bots

OUT_OF_SCOPE = ("out_of_scope", "oos", "none")  # areas the router should keep
SHOWN = 5  # skills and intents printed with their scores


@dataclass(frozen=True)
class Routed:
    """What the router does with one message: its own dialog, or a routing decision."""

    text: str
    own_dialog: str | None  # a dialog of the router's own (a greeting, help) answers
    decision: Decision | None
    seconds: float

    @property
    def sent_to(self) -> str | None:
        """The skill it transfers to at once, or None when it keeps the message."""
        return self.decision.options[0].skill if self.decision and \
            self.decision.action == "go" else None

    @property
    def offered(self) -> tuple[str, ...]:
        """The skills its clarifying question offers (none unless it asks)."""
        return tuple(o.skill for o in self.decision.options) if self.decision and \
            self.decision.action == "ask" else ()


def registry_for(settings: Settings) -> tuple[Registry, Router]:
    """The bots' registry, its classifiers fitted or loaded from the cache ``baton run``
    uses, and the entry persona, which must be a Router."""
    bots = load_bots(settings.bots)
    cache = settings.cache_dir or Path(settings.db).resolve().parent / ".baton-cache"
    registry = Registry(bots.personas, bots.entry, fallback_skills=bots.fallback_skills,
                        cache_dir=Path(cache))
    router = registry.personas[bots.entry]
    if not isinstance(router, Router):
        raise BatonError(f"the entry persona {bots.entry!r} of {settings.bots} is a "
                         f"{type(router).__name__}, not an adapter.Router: `baton route` shows "
                         "a Router's decisions.")
    registry.prepare()
    return registry, router


def route(registry: Registry, router: Router, text: str) -> Routed:
    """The router's answer to ``text``, as ``Router`` decides it in a conversation."""
    started = time.perf_counter()
    ranked: list = []

    def best():  # the router's own intents, as the engine offers them
        ranked[:] = ranked or registry.rank(text)
        top = ranked[0] if ranked else None
        return top if top and top.score >= registry.intent_threshold else None

    dialog, _ = registry.match(router, text, best)
    if dialog is not None:
        return Routed(text, dialog.name, None, time.perf_counter() - started)
    decision = router.decision(ranked or registry.rank(text), registry.rank_skills(text),
                               registry)
    return Routed(text, None, decision, time.perf_counter() - started)


def print_route(settings: Settings, text: str) -> int:
    registry, router = registry_for(settings)
    routed = route(registry, router, text)
    if routed.own_dialog is not None:
        print(f"decision: the router answers itself, with its dialog {routed.own_dialog} "
              "(its own patterns and intents come before routing)")
        return 0
    decision = routed.decision
    assert decision is not None
    print(f"decision: {_decision(registry, decision)}")
    print(f"why: {decision.why}")
    print(f"thresholds: intent {registry.intent_threshold:.2f} (sure {router.sure:.2f}), "
          f"skill {router.skill_threshold:.2f} (sure {router.skill_sure:.2f}), intent once the "
          f"skill is decided {router.area_intent:.2f}")
    print("skills:")
    for match in registry.rank_skills(text)[:SHOWN]:
        persona = registry.persona_for_skill(match.skill)
        print(f"  {match.score:.3f}  {match.skill:<16} {persona.display_name if persona else ''}")
    print("intents:")
    for intent in registry.rank(text)[:SHOWN]:
        print(f"  {intent.score:.3f}  {intent.qualified_name}")
    return 0


def _decision(registry: Registry, decision: Decision) -> str:
    def name(skill: str) -> str:
        persona = registry.persona_for_skill(skill)
        return f"{skill} ({persona.display_name})" if persona else skill

    if decision.action == "menu":
        return "keep it and list what the desks help with"
    if decision.action == "ask":
        return "ask which: " + " or ".join(name(o.skill) for o in decision.options)
    carried = f"intent {decision.intent.qualified_name} and the message" if decision.intent \
        else "the message (the desk's own matching answers)"
    return f"transfer to {name(decision.options[0].skill)} with {carried}"


def read_labelled(path: str, registry: Registry) -> list[tuple[str | None, str]]:
    """(skill or None for out of scope, text) per row of an ``area<TAB>text`` file; an area
    is a skill, a persona's name, or out_of_scope."""
    rows = []
    with open(path, encoding="utf-8", newline="") as file:
        for number, row in enumerate(csv.reader(file, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 2 or not row[1].strip():
                raise BatonError(f"{path}:{number}: expected area<TAB>text, got {row!r}.")
            rows.append((_skill_of_area(row[0].strip(), registry, f"{path}:{number}"), row[1]))
    return rows


def _skill_of_area(area: str, registry: Registry, where: str) -> str | None:
    if area.casefold() in OUT_OF_SCOPE:
        return None
    if area in registry.skills:
        return area
    persona = registry.personas.get(area)
    if persona is not None and persona.skills:
        return persona.skills[0]
    known = sorted({*registry.skills, *registry.personas, OUT_OF_SCOPE[0]})
    raise BatonError(f"{where}: unknown area {area!r}; use a skill, a persona's name or "
                     f"out_of_scope ({', '.join(known)}).")


def tally(registry: Registry, router: Router, rows: list[tuple[str | None, str]], *,
          misses: bool = False) -> dict[str, Counter[str]]:
    """Per area: messages, right desk at once (out of scope: kept), asked with the right
    desk offered, kept by the router. ``misses``: print each row not routed right."""
    counted: dict[str, Counter[str]] = {}
    for skill, text in rows:
        routed = route(registry, router, text)
        counts = counted.setdefault(skill or OUT_OF_SCOPE[0], Counter())
        counts["rows"] += 1
        if skill is None:
            counts["right"] += routed.sent_to is None and not routed.offered
            counts["asked"] += bool(routed.offered)
        else:
            counts["right"] += routed.sent_to == skill
            counts["asked"] += skill in routed.offered
            counts["kept"] += routed.sent_to is None and not routed.offered
        if misses and not (routed.sent_to == skill and (skill or not routed.offered)):
            print(f"miss\t{skill or OUT_OF_SCOPE[0]}\t{_outcome(routed)}\t{text}",
                  file=sys.stderr)
    return counted


def score_file(settings: Settings, path: str, *, misses: bool = False) -> int:
    registry, router = registry_for(settings)
    print(report(tally(registry, router, read_labelled(path, registry), misses=misses)))
    return 0


def _outcome(routed: Routed) -> str:
    if routed.own_dialog:
        return f"router:{routed.own_dialog}"
    decision = routed.decision
    assert decision is not None
    return decision.action + ":" + "|".join(o.skill for o in decision.options)


def report(tally: dict[str, Counter[str]]) -> str:
    """The per-area table and the two headline figures."""
    lines = ["| area | messages | right desk at once | asked, right desk offered | kept by "
             "the router |", "|---|---|---|---|---|"]
    inside = Counter()
    for area, counts in sorted(tally.items(), key=lambda item: item[0] in OUT_OF_SCOPE):
        n = counts["rows"]
        if area in OUT_OF_SCOPE:
            lines.append(f"| {area} | {n} | - | asked {counts['asked']} | {counts['right']} "
                         f"({counts['right'] / n:.2f}) |")
        else:
            inside.update(counts)
            lines.append(f"| {area} | {n} | {counts['right']} ({counts['right'] / n:.2f}) | "
                         f"{counts['asked']} | {counts['kept']} |")
    lines.append("")
    if inside["rows"]:
        lines.append(f"first-hop accuracy (in-area messages sent to the right desk at once): "
                     f"**{inside['right'] / inside['rows']:.3f}** ({inside['right']} of "
                     f"{inside['rows']})")
    out = tally.get(OUT_OF_SCOPE[0])
    if out:
        lines.append(f"out of scope kept by the router: **{out['right'] / out['rows']:.3f}** "
                     f"({out['right']} of {out['rows']})")
    return "\n".join(lines)
