"""Slack's Web API failing under a reply: each fault ends in exactly one answer per message."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, Persona, Turn
from adapter.testing import FakeSlack, Reply
from tests.bots_helpers import helpdesk_app

FLIGHT = Reply("travel", "Where are you flying from?")


def posts(slack: FakeSlack) -> list[str]:
    return [c.method for c in slack.calls if c.method != "auth.test"]


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 500},
                                   {"error": "internal_error"}])
async def test_one_server_error_is_retried_and_the_receiver_answers_once(
        slack: FakeSlack, fault: dict) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", **fault)
    await convo.user_says("I need a flight")
    assert convo.replies == [FLIGHT]  # no "isn't available" apology
    assert (convo.owner, [t.status for t in convo.transfers]) == ("travel", ["completed"])
    # The outcome of the failed post was unknown: the reply was looked up, then posted.
    assert posts(slack) == ["chat.postMessage", "conversations.replies", "chat.postMessage"]


async def test_a_post_slack_recorded_before_the_connection_dropped_is_not_posted_again(
        slack: FakeSlack) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", drop_after_send=True)
    await convo.user_says("I need a flight")
    assert convo.replies == [FLIGHT]
    assert posts(slack) == ["chat.postMessage", "conversations.replies"]
    assert [t.status for t in convo.transfers] == ["completed"]


async def test_rate_limited_twice_is_answered_after_retry_after(slack: FakeSlack) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", retry_after=1, times=2)
    started = time.monotonic()
    await convo.user_says("I need a flight")
    assert convo.replies == [FLIGHT]
    assert time.monotonic() - started >= 2  # it waited as Slack asked, twice
    # A 429 was never posted: no lookup needed.
    assert posts(slack) == ["chat.postMessage"] * 3
    assert [t.status for t in convo.transfers] == ["completed"]


async def test_a_stalled_post_times_out_and_the_thread_carries_on(slack: FakeSlack) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", stall=40)
    started = time.monotonic()
    await convo.user_says("I need a flight")
    await convo.user_says("hello again")
    assert time.monotonic() - started < 10  # not 40: the app's 0.5 s timeout applied
    assert convo.replies == [FLIGHT, Reply("travel", "Travel Desk noted: hello again")]


async def test_a_message_too_long_for_slack_goes_in_parts(db_path: Path) -> None:
    essay = Persona("essay")
    paragraph = "Every word of this matters and none of it may be lost on the way. " * 60

    @essay.fallback
    async def write(turn: Turn) -> None:
        await turn.say("\n".join([paragraph] * 12))  # about 48,000 characters

    app = App(personas=[essay], entry="essay", db=db_path)
    async with FakeSlack(app) as slack:
        dm = slack.dm()
        await dm.user_says("write it all down")
        parts = [reply.text for reply in dm.replies]
        assert len(parts) > 1 and all(len(part) <= 3900 for part in parts)
        assert " ".join(parts).split() == ("\n".join([paragraph] * 12)).split()
    app.close()


async def test_a_permanent_error_parks_the_message_at_once(slack: FakeSlack) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", error="channel_not_found", times=2)
    await convo.user_says("I need a flight")
    [entry] = await slack.app.storage.inbox("parked")
    assert entry.error == "DeliveryError: chat.postMessage: channel_not_found"
    assert posts(slack).count("chat.postMessage") == 2  # the reply, then the apology: no loop


async def test_past_the_retry_budget_the_message_waits_and_is_answered_once_later(
        slack: FakeSlack, caplog: pytest.LogCaptureFixture) -> None:
    convo = slack.conversation()
    slack.fail("chat.postMessage", status=503, times=4)  # the whole budget of one attempt
    await convo.user_says("I need a flight")
    assert convo.replies == []
    [waiting] = await slack.app.storage.inbox("pending")
    assert waiting.error.startswith("DeliveryError: chat.postMessage: HTTP 503 (after 4 ")
    logged = [r.getMessage() for r in caplog.records if r.name == "baton.inbox"]
    assert any(f"conversation C0GENERAL:{convo.thread_ts}" in line and "Ev" in line
               for line in logged), logged
    assert [t.status for t in convo.transfers] == ["started"]  # not failed: Travel answered
    await slack.app.inbox.sweep(now=time.time() + 60)  # a later attempt: Slack is back
    await slack.settle()
    assert convo.replies == [FLIGHT]
    assert [t.status for t in convo.transfers] == ["completed"]
    assert await slack.app.storage.inbox("pending") == []


@pytest.fixture
def helpdesk(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    built = helpdesk_app(tmp_path, tmp_path_factory)
    yield built
    built.close()


async def test_the_two_hop_visa_flow_survives_a_dropped_connection(helpdesk: App) -> None:
    async with FakeSlack(helpdesk) as slack:
        convo = slack.conversation()
        await convo.user_says("do I need a visa?")
        slack.fail("chat.postMessage", drop_after_send=True, times=2)  # notice and letter
        await convo.user_says("Tokyo")
        assert [r.persona for r in convo.replies] == ["travel", "travel", "people"]
        assert len({r.text for r in convo.replies}) == 3  # nothing twice
        assert [t.status for t in convo.transfers] == ["completed", "completed"]
