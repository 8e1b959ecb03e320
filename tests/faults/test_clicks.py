"""Clicks: one per question, used up only when its dialog has run; stale or forged clicks
get a note only the clicker sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, Button, Persona, Turn
from adapter.testing import FakeSlack, Reply
from adapter.testing.payloads import block_actions

NO_LONGER = "This button no longer works: the question was answered already."


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    desk = Persona("desk", display_name="Desk")

    @desk.dialog(pattern="coffee*")
    async def offer(turn: Turn) -> None:
        await turn.say("Milk or black?", buttons=[Button("Milk", "milk", "coffee"),
                                                  Button("Black", "black", "coffee")])

    @desk.button("coffee")
    async def brew(turn: Turn) -> None:
        await turn.say(f"One {turn.clicked.value} coffee, coming up.")

    built = App(personas=[desk], entry="desk", db=db_path, slack_timeout=0.5)
    yield built
    built.close()


async def test_a_failed_update_of_the_buttons_does_not_lose_the_click(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("coffee")
    slack.fail("chat.update", status=500, times=3)  # slack_sdk's own retries included
    await convo.click("Black")
    assert convo.replies[-1] == Reply("desk", "One black coffee, coming up.")


async def test_a_second_click_gets_a_private_note_and_changes_nothing(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U42")
    await convo.user_says("coffee")
    question = convo.posts[-1]
    buttons = list(question.buttons)
    await convo.click("Black")
    question.blocks = [{"type": "actions", "elements": buttons}]  # a stale copy of the page
    await slack.click(question, "Milk", user="U42")
    assert convo.replies == [Reply("desk", "Milk or black?"),
                             Reply("desk", "One black coffee, coming up.")]
    assert [(m.text, m.username) for m in slack.ephemeral] == [(NO_LONGER, "U42")]


async def test_a_forged_click_does_not_use_up_the_real_one(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U42")
    await convo.user_says("coffee")
    question = convo.posts[-1]
    forged = {**question.buttons[0], "action_id": "baton:desk:espresso:0"}  # no such dialog
    status = await slack.deliver(block_actions(question, forged, "U42", slack.clock.ts()),
                                 content_type="application/x-www-form-urlencoded")
    await slack.app.in_flight.wait_all()
    assert status == 200
    assert [m.text for m in slack.ephemeral] == [NO_LONGER]
    await convo.click("Milk")  # the real click still counts
    assert convo.replies[-1] == Reply("desk", "One milk coffee, coming up.")
