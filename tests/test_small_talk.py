"""Small talk: "thanks!" and "bye" get a short polite answer from the owner, never a fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, ConfigError, Persona, Turn
from adapter.small_talk import kind_of
from adapter.testing import FakeSlack, Reply

from .bots_helpers import helpdesk_app

WELCOME = "You're welcome! Anything else I can help with?"


@pytest.fixture
def app(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    built = helpdesk_app(tmp_path, tmp_path_factory)
    yield built
    built.close()


async def test_thanks_in_a_dm_with_the_people_team_gets_a_polite_answer(
        slack: FakeSlack) -> None:
    dm = slack.dm(user="U1")
    await dm.user_says("when is payday")
    await dm.user_says("thanks!")
    assert dm.replies[-1] == Reply("people", WELCOME)
    await dm.user_says("ok, bye")
    assert dm.replies[-1] == Reply("people", "Bye for now! Message me here any time.")
    assert dm.owner == "people"
    assert [t.to_persona for t in dm.transfers] == ["people"]  # only the first message moved


async def test_the_router_answers_small_talk_too(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("thank you so much")
    assert convo.replies == [Reply("router", WELCOME)]
    assert convo.transfers == []


async def test_thanks_with_a_question_is_a_question(slack: FakeSlack) -> None:
    dm = slack.dm(user="U2")
    await dm.user_says("when is payday")
    await dm.user_says("thanks, and how many vacation days do I have left?")
    assert dm.replies[-1].persona == "people"
    assert dm.replies[-1].text != WELCOME


@pytest.mark.parametrize(("text", "kind"), [
    ("thanks!", "thanks"), ("Thank you so much :)", "thanks"), ("thx", "thanks"),
    ("great, thanks", "thanks"), ("bye", "bye"), ("ok thanks bye", "bye"),
    ("have a nice day!", "bye"), ("that's all", "bye"), ("ok", "ok"), ("got it", "ok"),
    ("thanks, and when is payday?", None), ("no thanks, I need a hotel", None),
    ("ok so what about my visa", None), ("good morning", None),
])
def test_what_counts_as_small_talk(text: str, kind: str | None) -> None:
    assert kind_of(text) == kind


async def test_a_persona_can_answer_small_talk_its_own_way(db_path: Path) -> None:
    desk = Persona("desk", display_name="Desk")

    @desk.small_talk("thanks")
    async def thanks(turn: Turn) -> None:
        await turn.say("Any time, that's what the desk is for.")

    @desk.dialog(pattern="bye*")
    async def bye(turn: Turn) -> None:  # a pattern of its own wins over Baton's answer
        await turn.say("Ciao!")

    app = App(personas=[desk], entry="desk", db=db_path)
    async with FakeSlack(app) as slack:
        dm = slack.dm()
        await dm.user_says("thanks!")
        await dm.user_says("bye bye")
        await dm.user_says("ok")
        assert dm.replies == [Reply("desk", "Any time, that's what the desk is for."),
                              Reply("desk", "Ciao!"),
                              Reply("desk", "Great. Anything else I can help with?")]
    app.close()


def test_an_unknown_kind_of_small_talk_is_refused() -> None:
    with pytest.raises(ConfigError, match="small talk 'thank' is not one of 'thanks', 'bye', "
                                          "'ok'"):
        Persona("desk").small_talk("thank")
