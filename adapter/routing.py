"""Routing decisions: which skill a message goes to, by skill and by intent, and why.

A pure function over frozen data, shared by the ``Router`` persona and ``baton route``.
Two calibrated scores speak for each skill: its skill score (the message is in the
persona's area: any of its intents' phrases, its ``examples``, its description) and its
best intent's score. A message goes to a skill when either is confident enough, with the
intent when that is sure enough, else with the message alone (the desk's
own matching, or its fallback, answers); an intent a little under the threshold still
rides along once the skill is decided. The router asks between the best two skills when
neither score of the best one is sure and a second skill also fits, and lists the desks
only when no skill fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .intents import IntentMatch, SkillMatch

# Chosen on the helpdesk's validation set (benchmarks/data/helpdesk_routing_val.tsv), never
# on the held-back set: see benchmarks/RESULTS.md, "Routing the helpdesk".
SKILL_THRESHOLD = 0.5  # a skill score from here on: the message is in that skill's area
SKILL_SURE = 0.8  # from here on, no need to ask even when a second skill also fits
# Once the skill is known, its best intent from this score on is right about 4 times in 5
# (CLINC150's validation split, the default classifier: 0.80 at 0.5-0.6, 0.84 at 0.6-0.7,
# against 0.50 at 0.4-0.5), so the desk starts that intent's dialog rather than its fallback.
AREA_INTENT = 0.5
# Below this intent score the classifier is unsure enough that, when a second skill also
# fits, the router asks. On CLINC150's validation split it asks for 1.8% of in-scope
# messages, and 96% of those questions offer the right domain.
SURE = 0.95


@dataclass(frozen=True)
class Option:
    """A skill the router could send a message to: its skill score and its best intent."""

    skill: str
    skill_score: float = 0.0
    match: IntentMatch | None = None  # the skill's best intent, whatever its score

    @property
    def strength(self) -> float:
        """Its two calibrated scores taken as two witnesses: the chance that at least one is
        right. Options are ranked by it, so a skill whose area and whose intent both fit
        ("car hire": travel's area a little under People's "hire", and its rental-car
        intent) goes before one that only one of them speaks for (on the validation set,
        1.3 points of first hop more than ranking by the better of the two)."""
        intent = self.match.score if self.match else 0.0
        return 1 - (1 - self.skill_score) * (1 - intent)


@dataclass(frozen=True)
class Thresholds:
    """The scores routing needs: intent (``intent``, ``sure``) and skill ones."""

    intent: float = 0.75
    sure: float = SURE
    skill: float = SKILL_THRESHOLD
    skill_sure: float = SKILL_SURE
    area_intent: float = AREA_INTENT  # the intent a "go" carries, once the skill is decided


@dataclass(frozen=True)
class Decision:
    """What the router does with a message: "go" to ``options[0]``, "ask" between
    ``options``, or show the "menu"; ``intent`` is what a "go" carries besides the message
    (None: the message alone); ``why`` says so in a sentence."""

    action: str
    options: tuple[Option, ...] = ()
    intent: IntentMatch | None = None
    why: str = ""


def options_for(intents: Iterable[IntentMatch], skills: Iterable[SkillMatch],
                skill_of_intent: dict[str, str]) -> list[Option]:
    """One option per skill, from the ranked intents (each skill's best) and the ranked
    skills, strongest first. ``skill_of_intent`` maps "domain.intent" to the skill whose
    persona serves it; intents of no routable skill are left out."""
    best_intent: dict[str, IntentMatch] = {}
    for match in intents:
        skill = skill_of_intent.get(match.qualified_name)
        if skill is not None and skill not in best_intent:
            best_intent[skill] = match
    scores = {s.skill: s.score for s in skills}
    found = [Option(skill, scores.get(skill, 0.0), best_intent.get(skill))
             for skill in dict.fromkeys([*best_intent, *scores])]
    return sorted(found, key=lambda option: -option.strength)


def decide(options: Sequence[Option], limits: Thresholds = Thresholds()) -> Decision:
    """Go, ask or menu for ``options`` (strongest first), with the reason."""
    if not options or not _fits(options[0], limits):
        return Decision("menu", why=_none_fits(options, limits))
    top = options[0]
    intent = top.match if top.match and top.match.score >= limits.intent else None
    sure = top.skill_score >= limits.skill_sure or (intent is not None and
                                                     intent.score >= limits.sure)
    if not sure and len(options) > 1 and _fits(options[1], limits):
        second = options[1]
        return Decision("ask", (top, second), why=(
            f"{_scores(top)} is not sure (skill {limits.skill_sure:.2f}, intent "
            f"{limits.sure:.2f} needed) and {_scores(second)} fits too"))
    if intent is None and top.match is not None and top.match.score >= limits.area_intent:
        intent = top.match  # the skill is decided: its best intent is likely right
    how = f"with intent {intent.qualified_name} and the message" if intent else \
        "with the message alone: no intent of it reaches " f"{limits.area_intent:.2f}"
    return Decision("go", (top,), intent, why=f"{_scores(top)}: transfer {how}")


def _fits(option: Option, limits: Thresholds) -> bool:
    return option.skill_score >= limits.skill or (
        option.match is not None and option.match.score >= limits.intent)


def _scores(option: Option) -> str:
    intent = f", best intent {option.match.qualified_name} {option.match.score:.2f}" \
        if option.match else ""
    return f"skill {option.skill} {option.skill_score:.2f}{intent}"


def _none_fits(options: Sequence[Option], limits: Thresholds) -> str:
    if not options:
        return "no skill to send it to"
    return (f"no skill fits: the best, {_scores(options[0])}, is under both the skill "
            f"threshold {limits.skill:.2f} and the intent threshold {limits.intent:.2f}")
