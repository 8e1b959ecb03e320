"""Buttons under a persona's message, and what a click does."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter import App, Button, ConfigError, Persona, Turn
from adapter.testing import FakeSlack, Reply


@pytest.fixture
def app(db_path: Path) -> App:
    desk = Persona("desk", display_name="Desk")

    @desk.dialog(pattern="coffee*")
    async def offer(turn: Turn) -> None:
        await turn.say("Milk or black?", buttons=[Button("Milk", "milk", "coffee"),
                                                  Button("Black", "black", "coffee", "primary")])

    @desk.button("coffee")
    async def brew(turn: Turn) -> None:
        await turn.say(f"One {turn.clicked.value} coffee for <@{turn.user}>, coming up.")

    @desk.dialog(pattern="broken")
    async def broken(turn: Turn) -> None:
        await turn.say("Pick one", buttons=[Button("A", "a", action="nowhere")])

    built = App(personas=[desk], entry="desk", db=db_path)
    yield built
    built.close()


async def test_a_click_runs_the_personas_button_dialog(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U42")
    await convo.user_says("coffee please")
    question = convo.posts[-1]
    assert [(b["text"]["text"], b["value"], b.get("style")) for b in question.buttons] == [
        ("Milk", "milk", None), ("Black", "black", "primary")]
    await convo.click("Black")
    assert convo.replies == [
        Reply("desk", "Milk or black?"),
        Reply("desk", "One black coffee for <@U42>, coming up."),  # escaped: no live mention
    ]
    assert convo.posts[-1].text == "One black coffee for &lt;@U42&gt;, coming up."
    assert [c.method for c in slack.calls[-2:]] == ["chat.update", "chat.postMessage"]


async def test_a_button_without_a_dialog_is_a_clear_error(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    convo = slack.conversation()
    await convo.user_says("broken")
    assert convo.replies == [Reply("desk", "Sorry, something went wrong on my side and I "
                                   "couldn't finish that. Please try again.")]
    assert ("button 'A' of persona 'desk' has action 'nowhere', but there is no "
            "@desk.button('nowhere') dialog to answer its click; add one.") in caplog.text


def test_button_mistakes_are_caught_when_written() -> None:
    with pytest.raises(ConfigError, match="button label '': give 1-75 characters"):
        Button("")
    with pytest.raises(ConfigError, match="style 'red' is not 'primary' or 'danger'"):
        Button("Stop", style="red")
    desk = Persona("desk")
    desk.button("x")(lambda turn: None)
    with pytest.raises(ConfigError, match="persona 'desk' already has a @button\\('x'\\)"):
        desk.button("x")(lambda turn: None)
