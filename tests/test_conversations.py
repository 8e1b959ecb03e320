"""Threads, DMs and their owners, as a user in Slack lives them."""

from __future__ import annotations

from pathlib import Path

from adapter import App
from adapter.testing import FakeSlack, Reply

from .conftest import helpdesk


async def test_a_mention_starts_a_thread_owned_by_the_entry_persona(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U1", channel="C1")
    await convo.user_says("hello there")
    assert convo.replies == [Reply("router", "Hi! Ask me about trips or time off.")]
    assert convo.owner == "router"
    assert slack.messages[-1].thread_ts == convo.thread_ts  # answered in the thread


async def test_follow_ups_stay_with_the_owner(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I need a flight")
    assert convo.owner == "travel"
    await convo.user_says("hello")  # the router's greeting pattern, but travel owns the thread
    assert convo.replies == [
        Reply("travel", "Where are you flying from?"),
        Reply("travel", "Travel Desk noted: hello"),
    ]
    assert convo.owner == "travel"


async def test_two_threads_in_one_channel_have_their_own_owners(slack: FakeSlack) -> None:
    trip = slack.conversation(user="U1", channel="C1")
    chat = slack.conversation(user="U2", channel="C1")
    await trip.user_says("book a trip")
    await chat.user_says("hi")
    await trip.user_says("Oslo")
    assert (trip.owner, chat.owner) == ("travel", "router")
    assert trip.replies == [
        Reply("travel", "Travel Desk noted: book a trip"),
        Reply("travel", "Travel Desk noted: Oslo"),
    ]
    assert chat.replies == [Reply("router", "Hi! Ask me about trips or time off.")]


async def test_a_dm_is_one_conversation_until_it_goes_idle(slack: FakeSlack) -> None:
    dm = slack.dm(user="U7")
    await dm.user_says("a flight please")
    first = dm.id
    slack.clock.advance(29 * 60)
    await dm.user_says("from Bergen")
    assert (dm.id, dm.owner) == (first, "travel")
    slack.clock.advance(31 * 60)  # past the 30-minute idle timeout
    await dm.user_says("hi")
    assert dm.id != first
    assert dm.owner == "router"
    assert dm.replies == [
        Reply("travel", "Where are you flying from?"),
        Reply("travel", "Travel Desk noted: from Bergen"),
        Reply("router", "Hi! Ask me about trips or time off."),
    ]
    assert all(post.thread_ts is None for post in dm.posts)  # DMs answer top-level


async def test_the_dm_idle_timeout_is_configurable(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path, dm_idle_timeout=60)
    async with FakeSlack(app) as slack:
        dm = slack.dm()
        await dm.user_says("a flight please")
        slack.clock.advance(61)
        await dm.user_says("hi")
        assert dm.owner == "router"
    app.close()


async def test_owners_survive_an_app_restart(db_path: Path) -> None:
    before = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(before) as slack:
        convo = slack.conversation(user="U1", channel="C1")
        await convo.user_says("I need a flight")
        thread = convo.thread_ts
    before.close()

    after = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(after) as slack:
        convo = slack.conversation(user="U1", channel="C1", thread_ts=thread)
        await convo.user_says("hello")
        assert convo.replies == [Reply("travel", "Travel Desk noted: hello")]
    after.close()


async def test_a_thread_whose_owner_was_removed_goes_back_to_the_entry_persona(
    db_path: Path, caplog
) -> None:
    before = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(before) as slack:
        convo = slack.conversation(user="U1", channel="C1")
        await convo.user_says("I need a flight")
        thread = convo.thread_ts
    before.close()

    without_travel = [p for p in helpdesk() if p.name != "travel"]
    after = App(personas=without_travel, entry="router", db=db_path)
    async with FakeSlack(after) as slack:
        convo = slack.conversation(user="U1", channel="C1", thread_ts=thread)
        await convo.user_says("hello")
        assert convo.replies == [Reply("router", "Hi! Ask me about trips or time off.")]
    after.close()
    assert "owner 'travel' is not among the personas any more" in caplog.text
