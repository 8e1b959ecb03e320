"""A persona's own faults: a dialog that raises or runs too long gets a short apology from
that persona, the conversation keeps its owner, and its next message is not held."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, ConfigError, Persona, Turn
from adapter.defaults import DIALOG_ERROR
from adapter.testing import FakeSlack, Reply


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    router = Persona("router", skill="front_desk")
    desk = Persona("desk", skill="desk", display_name="Desk", timeout=0.2)

    @router.dialog(pattern="desk*")
    async def to_desk(turn: Turn) -> None:
        await turn.transfer("desk")

    @desk.dialog(pattern="crash*")
    async def crash(turn: Turn) -> None:
        raise KeyError("the backend's answer had no 'price'")

    @desk.dialog(pattern="hang*")
    async def hang(turn: Turn) -> None:
        await asyncio.Event().wait()  # a backend that never answers

    @desk.fallback
    async def fine(turn: Turn) -> None:
        await turn.say(f"Desk heard: {turn.text}")

    built = App(personas=[router, desk], entry="router", db=db_path)
    yield built
    built.close()


@pytest.mark.parametrize("trouble", ["crash now", "hang now"])
async def test_a_failing_dialog_apologizes_keeps_the_owner_and_frees_the_thread(
        slack: FakeSlack, trouble: str, caplog: pytest.LogCaptureFixture) -> None:
    convo = slack.conversation()
    await convo.user_says("desk please")
    await convo.user_says(trouble)
    await convo.user_says("are you there?")
    assert convo.replies[1:] == [Reply("desk", DIALOG_ERROR),
                                 Reply("desk", "Desk heard: are you there?")]
    assert convo.owner == "desk"
    logged = "ran past its 0.2s" if trouble.startswith("hang") else "failed"
    assert f"of persona desk {logged} (conversation {convo.id}, event Ev" in caplog.text


def test_a_bad_timeout_is_refused() -> None:
    with pytest.raises(ConfigError, match="persona 'desk' has timeout=0: give the seconds"):
        Persona("desk", timeout=0)
