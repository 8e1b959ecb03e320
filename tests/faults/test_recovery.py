"""What a process leaves behind when it dies or stops is finished by the next one, once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adapter import App, Persona, Turn
from adapter.cli.main import main
from adapter.defaults import PARKED
from adapter.inbox import entry_of
from adapter.message import IncomingMessage
from adapter.testing import FakeSlack, Reply
from adapter.testing.payloads import event_callback
from adapter.testing.web_api import TEAM_ID
from tests.conftest import helpdesk


def mention(slack: FakeSlack, text: str) -> IncomingMessage:
    """A mention as the Slack side admits it, without running it (as if the process had
    died right after the ack)."""
    ts = slack.clock.ts()
    return IncomingMessage(f"Ev{ts}", TEAM_ID, "C1", "U1", text, ts, None, False, True)


async def test_an_event_left_unfinished_is_answered_once_at_the_next_start(
        db_path: Path) -> None:
    first = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(first) as slack:
        left = mention(slack, "echo still here")
        assert await first.storage.admit(entry_of(left))  # acked, then the process died
    first.close()
    again = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(again) as slack:  # its start runs the inbox before anything new
        assert [(m.text, m.thread_ts) for m in slack.messages] == [
            ("You said: still here", left.ts)]
        assert await again.storage.inbox("pending") == []
    again.close()


def noticing_cast() -> list[Persona]:
    router = Persona("router", skill="front_desk")
    travel = Persona("travel", skill="travel", display_name="Travel Desk")

    @router.dialog(pattern="*flight*")
    async def hand_over(turn: Turn) -> None:
        await turn.transfer("travel", message=turn.text, notice="Passing you to Travel.")

    @travel.fallback
    async def answer(turn: Turn) -> None:
        await turn.say("Where are you flying from?")

    return [router, travel]


async def test_a_transfer_cut_short_completes_without_repeating_its_notice(
        db_path: Path) -> None:
    cast = noticing_cast()
    first = App(personas=cast, entry="router", db=db_path, slack_timeout=0.5)
    async with FakeSlack(first) as slack:
        convo = slack.conversation()
        slack.fail("chat.postMessage", status=503, times=4, after=1)  # the notice gets out
        await convo.user_says("I need a flight")  # ...Travel's answer does not, this time
        assert convo.replies == [Reply("router", "Passing you to Travel.")]
        assert [t.status for t in convo.transfers] == ["started"]  # and stays "started"
        thread = convo.thread_ts
    first.close()
    again = App(personas=cast, entry="router", db=db_path)
    async with FakeSlack(again) as slack:
        convo = slack.conversation(thread_ts=thread)
        await convo.refresh()
        assert [t.status for t in convo.transfers] == ["completed"]
        assert [(m.text, m.username) for m in slack.messages if m.from_app] == [
            ("Where are you flying from?", "Travel Desk")]  # and no second notice
    again.close()


async def test_a_stop_past_its_deadline_leaves_the_rest_for_the_next_start(
        db_path: Path) -> None:
    gate = asyncio.Event()
    slow = Persona("slow")

    @slow.fallback
    async def think(turn: Turn) -> None:
        await gate.wait()  # a backend that has not answered yet
        await turn.say("Thought it through.")

    first = App(personas=[slow], entry="slow", db=db_path, stop_timeout=0.2)
    slack = FakeSlack(first)
    await slack.__aenter__()
    ts = slack.clock.ts()
    event = {"type": "message", "channel": "D0USER", "user": "U0USER", "text": "think",
             "ts": ts, "event_ts": ts, "team": TEAM_ID, "channel_type": "im"}
    assert await slack.deliver(event_callback(event, "EvSLOW")) == 200  # acked, in flight
    started = time.monotonic()
    await slack.__aexit__(None, None, None)  # stops the app: 0.2 s for what is in flight
    assert time.monotonic() - started < 5
    assert [e.status for e in await first.storage.inbox()] == ["pending"]
    first.close()
    gate.set()
    again = App(personas=[slow], entry="slow", db=db_path)
    async with FakeSlack(again) as slack:
        assert [m.text for m in slack.messages] == ["Thought it through."]
    again.close()


async def test_an_entry_that_keeps_failing_is_parked_with_one_apology(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    async with FakeSlack(app) as slack:
        convo = slack.conversation()
        await convo.user_says("echo one")

        async def broken(entry, *, replay=False, claimant=None):  # a bug, say, in this Baton
            raise RuntimeError("the engine tripped")

        monkeypatch.setattr(app.engine, "run", broken)
        await convo.user_says("echo two")
        for attempt in range(3):
            [entry] = await app.storage.inbox("pending")
            assert (entry.attempts, entry.error) == (attempt, "RuntimeError: the engine tripped")
            await app.inbox.sweep(now=time.time() + 60)
        [parked] = await app.storage.inbox("parked")
        assert parked.attempts == 3
        await slack.settle()
        assert convo.replies == [Reply("router", "You said: one"), Reply("router", PARKED)]
        await app.inbox.sweep(now=time.time() + 60)  # parked stays parked: no second apology
        assert convo.replies[-1:] == [Reply("router", PARKED)]
        assert len(convo.replies) == 2

    done = await asyncio.to_thread(main, ["inbox", "--db", app.db_path])
    assert done == 0


def test_baton_inbox_lists_what_is_parked(app: App, capsys: pytest.CaptureFixture) -> None:
    from adapter.storage import InboxEntry

    asyncio.run(app.storage.admit(InboxEntry("post:T1:C1:1.000001", "message", "T1:C1:1.000001",
                                             {"user": "U7", "text": "where is my refund?"})))
    asyncio.run(app.storage.fail_attempt("post:T1:C1:1.000001", "DeliveryError: boom",
                                         park=True))
    assert main(["inbox", "--db", app.db_path]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith(" parked post:T1:C1:1.000001 user=U7 attempts=0 "
                        "message='where is my refund?' error=DeliveryError: boom")


def test_processes_opening_one_fresh_database_at_once_all_succeed(tmp_path: Path) -> None:
    code = ("import sys; from adapter.storage import open_storage; "
            "open_storage(sys.argv[1]).close()")
    for round_ in range(3):
        path = tmp_path / f"fresh-{round_}.db"
        children = [subprocess.Popen([sys.executable, "-c", code, str(path)],
                                     stderr=subprocess.PIPE, text=True) for _ in range(10)]
        failures = [child.communicate(timeout=60)[1] for child in children
                    if child.wait(timeout=60) != 0]
        assert failures == []
