"""The App Home tab: who helps with what, and the user's recent conversations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, Domain, HumanTeam, Persona, Turn
from adapter.testing import FakeSlack

hr = Domain("hr", {"payday": ["when do we get paid", "next pay date"],
                   "pto_balance": ["how many vacation days do I have left"]})
travel_domain = Domain("travel", {"book_flight": ["book me a flight"]})


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    router = Persona("router", skill="front_desk", display_name="Helpdesk")
    people = Persona("people", skill="hr", display_name="People Team", domains=[hr],
                     description="pay and time off")
    travel = Persona("travel", skill="travel", display_name="Travel Desk",
                     domains=[travel_domain])
    payroll = HumanTeam("payroll", channel="C0PAYROLL", display_name="Payroll specialists",
                        description="a person, for what the bots cannot settle")

    @router.dialog(pattern="*paid*")
    async def to_people(turn: Turn) -> None:
        await turn.transfer("hr", intent="hr.payday", message=turn.text)

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say("On the 25th.")

    built = App(personas=[router, people, travel, payroll], entry="router", db=db_path)
    yield built
    built.close()


def texts(view: dict) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if "text" in b]


async def test_a_new_user_sees_who_helps_with_what_and_how_to_start(slack: FakeSlack) -> None:
    view = await slack.open_home("U0NEWCOMER")
    assert view["type"] == "home"
    assert texts(view) == [
        "Who can help",
        "*People Team* (a bot): pay and time off\n"
        "Try: “when do we get paid” · “how many vacation days do I have left”",
        "*Travel Desk* (a bot): book flight\nTry: “book me a flight”",
        "*Payroll specialists* (a person): a person, for what the bots cannot settle",
        "Your recent conversations",
        "None in the last day: mention the app in a channel, or send it a direct message, to "
        "start one."]


async def test_a_users_recent_conversations_show_who_answers_them_now(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U0ADA")
    await convo.user_says("when do I get paid?")
    view = await slack.open_home("U0ADA")
    root = convo.thread_ts.replace(".", "")
    assert texts(view)[-1] == (f"<https://baton-fake.slack.com/archives/C0GENERAL/p{root}|a "
                               "thread> in <#C0GENERAL>: People Team answers it")
    other = await slack.open_home("U0GRACE")
    assert texts(other)[-1].startswith("None in the last day")
