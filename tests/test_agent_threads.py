"""Slack's agent surfaces: an agent thread greeted by the entry persona, a status line under
the persona at work, streamed replies, and the same in a plain channel thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from adapter import App, Domain, Persona, Turn
from adapter.testing import FakeSlack, Reply

hr = Domain("hr", {"payday": ["when do we get paid", "when is payday", "next pay date"]})
travel_domain = Domain("travel", {"book_flight": ["book me a flight", "I need a flight"]})
gate = asyncio.Event()  # a backend that answers when the test says so


@pytest.fixture(autouse=True)
def open_gate() -> None:
    """A fresh gate for each test (an Event belongs to the loop that first waits on it),
    open unless the test closes it."""
    global gate
    gate = asyncio.Event()
    gate.set()


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")
    people = Persona("people", skill="hr", display_name="People Team", icon=":palm_tree:",
                     domains=[hr])
    travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                     domains=[travel_domain])

    @router.welcome
    async def hello(turn: Turn) -> None:
        await turn.say("Hi! Ask me about pay or trips.")

    @router.dialog(pattern="*flight*")
    async def to_travel(turn: Turn) -> None:
        await turn.transfer("travel", intent="travel.book_flight", message=turn.text)

    @travel.dialog(intent="travel.book_flight")
    async def flights(turn: Turn) -> None:
        await turn.status("checking flights")
        await gate.wait()  # the airline's API, slow today
        await turn.say("Two flights on Monday: 07:10 and 18:45.")

    @people.dialog(pattern="*policy*")
    async def policy(turn: Turn) -> None:
        async with turn.stream() as reply:
            for piece in ("The policy: ", "economy under 6 hours, ", "premium above."):
                await reply.write(piece)

    built = App(personas=[router, people, travel], entry="router", db=db_path)
    yield built
    built.close()


async def test_an_agent_thread_is_greeted_with_prompts_then_transfers_with_status_lines(
    slack: FakeSlack,
) -> None:
    convo = await slack.agent_thread()
    assert convo.replies == [Reply("router", "Hi! Ask me about pay or trips.")]
    assert slack.api.prompts[(convo.channel, convo.thread_ts)] == [
        {"title": "People Team", "message": "when do we get paid"},
        {"title": "Travel Desk", "message": "book me a flight"}]
    assert convo.owner == "router"

    await convo.user_says("I need a flight to Oslo")
    assert convo.replies[-1] == Reply("travel", "Two flights on Monday: 07:10 and 18:45.")
    assert convo.owner == "travel"
    shown = [(s["status"], s["username"], s["icon"]) for s in slack.api.statuses
             if s["thread_ts"] == convo.thread_ts]
    assert shown == [("Passing you to Travel Desk…", "Helpdesk", ":wave:"),
                     ("Travel Desk is checking flights…", "Travel Desk", ":airplane:"),
                     ("", None, None)]  # cleared when the Run ends
    assert slack.api.titles[(convo.channel, convo.thread_ts)] == \
        "Travel Desk: I need a flight to Oslo"


async def test_a_slow_dialog_shows_its_persona_at_work_before_it_answers(
    slack: FakeSlack,
) -> None:
    convo = await slack.agent_thread()
    gate.clear()
    answering = asyncio.create_task(convo.user_says("flight to Berlin"))
    while not any(s["status"] == "Travel Desk is checking flights…" for s in slack.api.statuses):
        await asyncio.sleep(0)  # the test's own loop turning, not waiting on the app's time
    assert convo.replies[-1].persona == "router"  # nothing answered yet: only the status
    gate.set()
    await answering
    assert convo.replies[-1].persona == "travel"


async def test_a_stream_posts_once_whole_where_slack_cannot_stream(
    streaming: FakeSlack,
) -> None:
    slack = streaming  # the app whose persona streams
    convo = slack.conversation()
    await convo.user_says("the policy, please")
    [post] = convo.posts
    assert post.text == "".join(PIECES)
    assert post.grew == []  # one post: nothing streamed
    assert post.metadata["event_payload"]["reply_id"].endswith(":1")


async def test_a_stream_grows_in_an_agent_thread_and_ends_with_its_metadata(
    streaming: FakeSlack,
) -> None:
    slack = streaming  # the app whose persona streams
    convo = await slack.agent_thread()
    await convo.user_says("the policy, please")
    post = convo.posts[-1]
    assert post.grew == [PIECES[0], PIECES[0] + PIECES[1], "".join(PIECES)]
    assert post.metadata["event_payload"]["persona"] == "people"
    assert convo.replies[-1] == Reply("people", "".join(PIECES))


# Long pieces, as a generating backend sends them: slack_sdk sends 256 characters at a time.
PIECES = ("Flights: " + "economy under six hours, premium economy above; " * 6,
          "Hotels: " + "up to 250 a night, 350 in London, New York and Tokyo; " * 5, "done.")


def streaming_cast() -> list[Persona]:
    people = Persona("people", skill="hr", display_name="People Team")

    @people.welcome
    async def hello(turn: Turn) -> None:
        await turn.say("People Team here.")

    @people.dialog(pattern="*policy*")
    async def policy(turn: Turn) -> None:
        async with turn.stream() as reply:
            for piece in PIECES:
                await reply.write(piece)

    return [people]


@pytest.fixture
async def streaming(db_path: Path) -> AsyncIterator[FakeSlack]:
    """FakeSlack around an app whose one persona streams its answer about the policy."""
    app = App(personas=streaming_cast(), entry="people", db=db_path)
    try:
        async with FakeSlack(app) as slack:
            yield slack
    finally:
        app.close()


async def test_in_a_channel_thread_an_hourglass_says_a_persona_is_at_work(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("I need a flight to Oslo")
    asked = convo.thread_ts
    assert [r for r in slack.api.reacted if r[1] == asked] == [
        ("C0GENERAL", asked, "+hourglass_flowing_sand"),
        ("C0GENERAL", asked, "-hourglass_flowing_sand")]


async def test_a_stream_whose_end_was_lost_is_not_streamed_twice(
    streaming: FakeSlack,
) -> None:
    slack = streaming  # the app whose persona streams
    convo = await slack.agent_thread()
    slack.fail("chat.stopStream", drop_after_send=True)  # it ended; we never heard
    await convo.user_says("the policy, please")
    await slack.app.inbox.sweep(now=time.time() + 60)  # the Run, run again later
    streamed = [p for p in convo.posts if p.grew]
    assert len(streamed) == 1 and streamed[0].text == "".join(PIECES)
    assert [r.text for r in convo.replies].count("".join(PIECES)) == 1


async def test_a_stream_cut_off_midway_is_made_whole_in_place_not_written_again(
    streaming: FakeSlack,
) -> None:
    slack = streaming  # the app whose persona streams
    convo = await slack.agent_thread()
    # The second piece reached Slack, then the connection dropped before its answer.
    slack.fail("chat.appendStream", drop_after_send=True)
    await convo.user_says("the policy, please")
    await slack.app.inbox.sweep(now=time.time() + 60)  # the Run, run again later
    [streamed] = [p for p in convo.posts if p.grew]
    assert streamed.grew[:2] == [PIECES[0], PIECES[0] + PIECES[1]]  # as far as it got
    assert streamed.text == "".join(PIECES)  # then made whole, in the same message
    assert streamed.metadata["event_payload"]["persona"] == "people"
    assert [r.text for r in convo.replies] == ["People Team here.", "".join(PIECES)]
