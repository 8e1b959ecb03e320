"""One conversation's messages run one at a time, in order; conversations run side by side."""

from __future__ import annotations

import asyncio
from pathlib import Path

from adapter import App, Persona, Turn
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
