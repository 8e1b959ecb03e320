"""The routing decision over frozen scores: go with an intent, go with the message alone,
ask between two skills, or keep the message and show the menu."""

from __future__ import annotations

from adapter.intents import IntentMatch, SkillMatch
from adapter.routing import Decision, Option, Thresholds, decide, options_for

LIMITS = Thresholds(intent=0.75, sure=0.95, skill=0.5, skill_sure=0.9, area_intent=0.5)
SKILL_OF = {"hr.payday": "hr", "hr.tax_form": "hr", "travel.visa": "travel"}


def intent(name: str, score: float) -> IntentMatch:
    domain, short = name.split(".")
    return IntentMatch(domain, short, f"id-{short}", score)


def test_options_join_each_skills_best_intent_and_its_skill_score_strongest_first() -> None:
    options = options_for([intent("hr.payday", 0.6), intent("travel.visa", 0.5),
                           intent("hr.tax_form", 0.4), intent("other.thing", 0.99)],
                          [SkillMatch("travel", 0.7), SkillMatch("hr", 0.2),
                           SkillMatch("card", 0.1)], SKILL_OF)
    assert options == [Option("travel", 0.7, intent("travel.visa", 0.5)),
                       Option("hr", 0.2, intent("hr.payday", 0.6)),
                       Option("card", 0.1, None)]


def test_a_sure_intent_goes_with_the_intent() -> None:
    top = Option("hr", 0.97, intent("hr.payday", 0.96))
    assert decide([top, Option("travel", 0.6)], LIMITS) == Decision(
        "go", (top,), intent("hr.payday", 0.96),
        "skill hr 0.97, best intent hr.payday 0.96: transfer with intent hr.payday and the "
        "message")


def test_a_message_in_a_skills_area_with_no_intent_goes_with_the_message_alone() -> None:
    top = Option("hr", 0.93, intent("hr.payday", 0.41))
    decision = decide([top, Option("travel", 0.05)], LIMITS)
    assert (decision.action, decision.options, decision.intent) == ("go", (top,), None)
    assert decision.why == ("skill hr 0.93, best intent hr.payday 0.41: transfer with the "
                            "message alone: no intent of it reaches 0.50")


def test_once_the_skill_is_decided_its_likely_intent_goes_along() -> None:
    top = Option("hr", 0.93, intent("hr.payday", 0.62))
    decision = decide([top, Option("travel", 0.05)], LIMITS)
    assert (decision.action, decision.intent) == ("go", intent("hr.payday", 0.62))
    assert decision.why == ("skill hr 0.93, best intent hr.payday 0.62: transfer with intent "
                            "hr.payday and the message")


def test_two_skills_that_both_fit_when_neither_is_sure_get_a_question() -> None:
    top, second = Option("hr", 0.8), Option("travel", 0.5, intent("travel.visa", 0.78))
    assert decide([top, second], LIMITS).action == "ask"
    assert decide([top, second], LIMITS).options == (top, second)


def test_a_sure_skill_is_not_questioned_even_when_another_fits() -> None:
    top = Option("hr", 0.92)
    assert decide([top, Option("travel", 0.8)], LIMITS).action == "go"


def test_nothing_fitting_keeps_the_message_and_says_why() -> None:
    assert decide([Option("hr", 0.45, intent("hr.payday", 0.7))], LIMITS) == Decision(
        "menu", why="no skill fits: the best, skill hr 0.45, best intent hr.payday 0.70, is "
        "under both the skill threshold 0.50 and the intent threshold 0.75")
    assert decide([], LIMITS) == Decision("menu", why="no skill to send it to")


def test_an_intent_alone_still_routes_when_no_skill_score_exists() -> None:
    # A classifier with no skill classifier (one desk): intents decide, as before.
    top = Option("hr", 0.0, intent("hr.payday", 0.96))
    assert decide([top], LIMITS).action == "go"
    assert decide([top], LIMITS).intent == intent("hr.payday", 0.96)
