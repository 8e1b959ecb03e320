"""A persona's question, and the answer that comes back to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from adapter import App, Domain, Persona, Turn
from adapter.storage.sqlite import migrations, open_database
from adapter.testing import FakeSlack, Reply

travel = Domain("travel", {"book_flight": ["I need a flight", "book a flight to oslo",
                                           "fly to london", "get me a plane ticket"]})
hr = Domain("hr", {"payday": ["when do we get paid", "when is payday", "what day is salary paid",
                              "next pay date"]})


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(db_path: Path, clock: Clock) -> App:
    desk = Persona("travel", skill="travel", domains=[travel])
    people = Persona("people", skill="hr", domains=[hr])

    @desk.dialog(pattern="visa*")
    async def visa(turn: Turn) -> None:
        await turn.say("Where are you going?")
        await turn.expect("destination", ttl=600)

    @desk.answer("destination")
    async def destination(turn: Turn) -> None:
        await turn.say(f"Noted: {turn.text}.")

    @desk.dialog(intent="travel.book_flight")
    async def flight(turn: Turn) -> None:
        await turn.say("Flights: where from?")

    @desk.dialog(pattern="oops")
    async def oops(turn: Turn) -> None:
        await turn.expect("nothing_to_take_it")

    @desk.fallback
    async def unsure(turn: Turn) -> None:
        await turn.say(f"Travel did not get: {turn.text}")

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say("The 25th.")

    built = App(personas=[desk, people], entry="travel", db=db_path, clock=clock)
    yield built
    built.close()


async def test_the_answer_goes_to_the_question_even_if_it_looks_like_an_intent(
    slack: FakeSlack,
) -> None:
    convo = slack.dm()
    await convo.user_says("visa please")
    await convo.user_says("fly to London")  # would start book_flight, but it is the answer
    await convo.user_says("fly to London")  # the question is answered: back to intents
    assert [r.text for r in convo.replies] == [
        "Where are you going?", "Noted: fly to London.", "Flights: where from?"]


async def test_another_personas_request_is_not_taken_for_the_answer(slack: FakeSlack) -> None:
    convo = slack.dm()
    await convo.user_says("visa please")
    await convo.user_says("when is payday?")
    assert convo.replies[-1] == Reply("people", "The 25th.")
    assert convo.owner == "people"


async def test_an_expired_question_no_longer_takes_the_message(slack: FakeSlack,
                                                               clock: Clock) -> None:
    convo = slack.dm()
    await convo.user_says("visa please")
    clock.now += 601
    await convo.user_says("Lagos")
    assert convo.replies[-1] == Reply("travel", "Travel did not get: Lagos")


async def test_expecting_an_answer_nobody_takes_is_a_clear_error(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    convo = slack.dm()
    await convo.user_says("oops")
    assert "persona 'travel' expects an answer 'nothing_to_take_it', but has no " \
        "@travel.answer('nothing_to_take_it') dialog to take it; add one." in caplog.text


def test_an_older_database_is_upgraded_and_keeps_its_rows(db_path: Path) -> None:
    db = Database(db_path)
    migrations.apply(db, stop_before="add_expected_answers")
    db["conversations"].insert({"id": "T:C:1", "team": "T", "channel": "C", "kind": "thread",
                                "owner": "people", "started_ts": 1.0, "last_ts": 1.0,
                                "created_at": 1.0, "updated_at": 1.0})
    assert "expecting" not in db["conversations"].columns_dict
    db.close()
    upgraded = open_database(db_path)
    assert {"expecting", "expecting_until"} <= set(upgraded["conversations"].columns_dict)
    assert list(upgraded.query("SELECT id, owner FROM conversations")) == [
        {"id": "T:C:1", "owner": "people"}]
    assert [m.name for m in migrations.pending(upgraded)] == []
    upgraded.close()
