"""Personas, dialog starters, and the mistakes the App refuses at construction."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter import App, ConfigError, Domain, Persona, Turn
from adapter.intents import Pattern


async def nothing(turn: Turn) -> None:
    return None


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    ("help*", "Help me please", True),
    ("help*", "I need help", False),
    ("*help*", "I need help!", True),
    ("(hi|hello) there", "HELLO there", True),
    ("(hi|hello) there", "hey there", False),
    ("reset my password", "  Reset   my password? ", True),
    ("(book|reserve) a (flight|hotel)*", "Reserve a hotel in Oslo", True),
])
def test_patterns(pattern: str, text: str, matches: bool) -> None:
    assert Pattern(pattern).matches(text) is matches


def test_a_regex_starter_searches_case_insensitively() -> None:
    assert Pattern(r"\border\s+#?\d{4,}", is_regex=True).matches("Where is ORDER #12345?")
    assert not Pattern(r"^order \d+$", is_regex=True).matches("my order 12")


def test_a_pattern_with_an_unbalanced_parenthesis_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"pattern '\(hi\|hello' has a '\(' without its '\)'"):
        Pattern("(hi|hello")


def test_a_regex_that_does_not_compile_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"regex '\[a-' does not compile"):
        Pattern("[a-", is_regex=True)


def test_two_dialogs_with_the_same_starter_are_refused() -> None:
    bot = Persona("bot")
    bot.dialog(pattern="help*")(nothing)

    async def other(turn: Turn) -> None: ...

    with pytest.raises(ConfigError) as error:
        bot.dialog(pattern="HELP*")(other)
    assert str(error.value) == (
        "persona 'bot': dialogs 'nothing' and "
        "'test_two_dialogs_with_the_same_starter_are_refused.<locals>.other' have the same "
        "starter 'help*'; remove it from one of them."
    )


def test_a_dialog_needs_a_starter() -> None:
    with pytest.raises(ConfigError, match="@dialog\\(\\) needs a starter"):
        Persona("bot").dialog()


def test_a_persona_has_one_fallback() -> None:
    bot = Persona("bot")
    bot.fallback(nothing)
    with pytest.raises(ConfigError, match="persona 'bot' already has a fallback dialog"):
        bot.fallback(nothing)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "Travel Desk"}, "persona name 'Travel Desk' is not allowed"),
    ({"name": "bot", "icon": "airplane"},
     "persona 'bot' has icon 'airplane': use an emoji like ':robot_face:' or an https:// image"),
    ({"name": "bot", "skill": "a", "skills": ["b"]}, "persona 'bot' sets both skill= and skills="),
])
def test_bad_persona_settings_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", "\\(")):
        Persona(**kwargs)


def test_display_name_defaults_from_the_name() -> None:
    assert Persona("corporate_card").display_name == "Corporate Card"


def test_two_personas_with_one_name_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        App(personas=[Persona("bot"), Persona("bot")], entry="bot", db=tmp_path / "b.db")
    assert str(error.value) == "two personas are named 'bot'; give each persona its own name."


def test_an_unknown_entry_persona_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        App(personas=[Persona("router"), Persona("travel")], entry="ruter", db=tmp_path / "b.db")
    assert str(error.value) == (
        "entry persona 'ruter' is not one of the personas (router, travel). "
        "Did you mean 'router'?"
    )


def test_a_skill_nobody_serves_is_refused_when_something_names_it(tmp_path: Path) -> None:
    personas = [Persona("router"), Persona("travel", skill="travel")]
    with pytest.raises(ConfigError) as error:
        App(personas=personas, entry="router", db=tmp_path / "b.db",
            fallback_skills={"travel": "concierge"})
    assert str(error.value) == (
        "fallback_skills={'travel': 'concierge'} names skill 'concierge', which no persona "
        "serves. Add skill='concierge' to a persona, or fix the name."
    )


def test_a_dialog_for_an_unknown_intent_names_the_closest(tmp_path: Path) -> None:
    hr = Domain("hr", {"payday": ["when do we get paid"], "pto_balance": ["days off left"]})
    people = Persona("people", skill="hr", domains=[hr])
    people.dialog(intent="hr.pto_balanse")(nothing)
    with pytest.raises(ConfigError) as error:
        App(personas=[people], entry="people", db=tmp_path / "b.db")
    assert str(error.value) == "unknown intent 'hr.pto_balanse'. Did you mean 'hr.pto_balance'?"


def test_a_dialog_for_an_intent_outside_the_personas_domains_is_refused(tmp_path: Path) -> None:
    hr = Domain("hr", {"payday": ["when do we get paid"]})
    people = Persona("people", skill="hr", domains=[hr])
    travel = Persona("travel", skill="travel")
    travel.dialog(intent="hr.payday")(nothing)
    with pytest.raises(ConfigError) as error:
        App(personas=[people, travel], entry="people", db=tmp_path / "b.db")
    assert str(error.value) == (
        "persona 'travel' has a dialog for intent 'hr.payday', but that intent's domain is "
        "not in its domains; add it to domains=[...]."
    )


def test_bad_app_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dm_idle_timeout=0: give a number of seconds > 0"):
        App(personas=[Persona("bot")], entry="bot", db=tmp_path / "b.db", dm_idle_timeout=0)
    with pytest.raises(ConfigError, match="App\\(personas=\\[\\]\\) is empty"):
        App(personas=[], entry="bot", db=tmp_path / "b.db")


def test_a_persona_is_itself_not_its_fields() -> None:
    one, two = Persona("desk"), Persona("desk")
    assert one != two and len({one, two}) == 2


def test_app_refuses_a_pattern_that_can_never_match(tmp_path: Path) -> None:
    desk = Persona("desk")

    @desk.dialog(pattern="*")
    async def anything(turn: Turn) -> None: ...

    @desk.dialog(pattern="help*")
    async def helping(turn: Turn) -> None: ...

    with pytest.raises(ConfigError) as refused:
        App(personas=[desk], entry="desk", db=tmp_path / "b.db")
    assert str(refused.value).startswith("pattern 'help*' of dialog ")
    assert ".helping' can never match: dialog " in str(refused.value)
