"""One conversation's messages run one at a time, in order; conversations run side by side."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapter import App, Persona, Turn
from adapter.inbox import entry_of
from adapter.message import IncomingMessage
from adapter.storage import InboxEntry
from adapter.testing import FakeSlack


async def test_one_conversation_in_order_and_others_meanwhile(db_path: Path) -> None:
    gate = asyncio.Event()
    started = asyncio.Event()
    log: list[str] = []
    slow = Persona("slow", skill="slow")

    @slow.dialog(pattern="*")
    async def record(turn: Turn) -> None:
        log.append(f"start {turn.text}")
        if turn.text == "first":
            started.set()
            await gate.wait()
        log.append(f"end {turn.text}")
        await turn.say(f"done {turn.text}")

    app = App(personas=[slow], entry="slow", db=db_path)
    async with FakeSlack(app) as slack:
        dm = slack.dm(user="U1")
        first = asyncio.create_task(dm.user_says("first"))
        await started.wait()
        second = asyncio.create_task(dm.user_says("second"))
        # Another user's conversation is answered while the first one is busy.
        other = slack.dm(user="U2")
        await other.user_says("meanwhile")
        assert log == ["start first", "start meanwhile", "end meanwhile"]
        gate.set()
        await asyncio.gather(first, second)
        assert log[3:] == ["end first", "start second", "end second"]
        assert [r.text for r in dm.replies] == ["done first", "done second"]
    app.close()


async def test_an_entry_reached_twice_at_once_runs_once(db_path: Path) -> None:
    """The next-entry chain and an entry's own handler can reach it at the same moment;
    on PostgreSQL both claims name this instance, whose lease lets it in again: the
    second must find it running, not run the dialog a second time."""
    heard: list[str] = []
    desk = Persona("desk", skill="desk")

    @desk.dialog(pattern="*")
    async def note(turn: Turn) -> None:
        heard.append(turn.text)
        await turn.say("Noted.")

    app = App(personas=[desk], entry="desk", db=db_path)
    async with FakeSlack(app) as slack:
        message = IncomingMessage(event_id="Ev1", team=slack.team_id, channel="D0USER001",
                                  user="U0USER001", text="my badge stopped working",
                                  ts=slack.clock.ts(), thread_ts=None, is_dm=True,
                                  mentioned=False)
        entry = entry_of(message)
        assert await app.storage.admit(entry)
        await asyncio.gather(app.inbox.run(entry), app.inbox.run(entry))
        assert heard == ["my badge stopped working"]
        assert [m.text for m in slack.messages if m.from_app] == ["Noted."]
        assert app.inbox.stats.runs == 1
    app.close()


async def test_a_message_refused_while_the_one_before_it_finishes_is_still_answered(
        db_path: Path) -> None:
    """On PostgreSQL, the second message's claim is refused (the first is still running),
    and the first one's finish claims the second for this instance while that refusal is
    on its way back. One of the two must run it: it was left leased to nobody running it,
    and answered only when its lease ran out, 30 seconds later."""
    heard: list[str] = []
    entered = asyncio.Event()
    gate = asyncio.Event()
    desk = Persona("desk", skill="desk")

    @desk.dialog(pattern="*")
    async def note(turn: Turn) -> None:
        heard.append(turn.text)
        if turn.text == "first":
            entered.set()
            await gate.wait()
        await turn.say(f"Noted: {turn.text}.")

    app = App(personas=[desk], entry="desk", db=db_path)
    if not app.storage.shared:
        app.close()
        pytest.skip("only storage several instances share claims its entries")
    async with FakeSlack(app) as slack:
        first, second = (entry_of(IncomingMessage(
            event_id=f"Ev{n}", team=slack.team_id, channel="D0USER001", user="U0USER001",
            text=text, ts=slack.clock.ts(), thread_ts=None, is_dm=True, mentioned=False))
            for n, text in enumerate(["first", "second"]))
        assert await app.storage.admit(first)
        assert await app.storage.admit(second)
        running_first = asyncio.create_task(app.inbox.run(first))
        await entered.wait()

        refused, first_done = asyncio.Event(), asyncio.Event()
        claim = app.storage.claim

        async def refused_slowly(entry: InboxEntry, owner: str, lease: float) -> bool | None:
            got = await claim(entry, owner, lease)
            assert got is None  # the first is pending still
            refused.set()
            await first_done.wait()  # ...and has finished, before the refusal is read
            return got

        app.storage.claim = refused_slowly  # type: ignore[method-assign]
        running_second = asyncio.create_task(app.inbox.run(second))
        await refused.wait()
        gate.set()
        await running_first
        first_done.set()
        await running_second

        assert heard == ["first", "second"]
        assert [m.text for m in slack.messages if m.from_app] == [
            "Noted: first.", "Noted: second."]
        assert [entry.key for entry in await app.storage.inbox("pending")] == []
    app.close()
