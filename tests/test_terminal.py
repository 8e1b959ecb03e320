"""`baton run --terminal`: a chat in the terminal, buttons as numbered choices."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, Button, Persona, Turn
from adapter.playground.terminal import chat


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    desk = Persona("desk", display_name="Coffee Desk")

    @desk.dialog(pattern="coffee*")
    async def offer(turn: Turn) -> None:
        await turn.say("Milk or black?", buttons=[Button("Milk", "milk", "coffee"),
                                                  Button("Black", "black", "coffee")])

    @desk.button("coffee")
    async def brew(turn: Turn) -> None:
        await turn.say(f"One {turn.clicked.value} coffee, coming up.")

    @desk.fallback
    async def other(turn: Turn) -> None:
        await turn.say(f"You said {turn.text}.")

    built = App(personas=[desk], entry="desk", db=db_path)
    yield built
    built.close()


def typed(*lines: str):
    """What the person types, line by line, then end of input."""
    waiting = iter(lines)

    def read() -> str:
        try:
            return next(waiting)
        except StopIteration:
            raise EOFError from None

    return read


async def test_buttons_are_numbered_choices_and_typing_a_number_clicks(app: App) -> None:
    out = io.StringIO()
    await chat(app, read=typed("coffee please", "2", "2"), out=out)
    assert out.getvalue().splitlines()[2:] == [
        "Coffee Desk: Milk or black?",
        "  [1] Milk  [2] Black",
        "Coffee Desk: One black coffee, coming up.",
        # The question is answered: a number is just a message again.
        "Coffee Desk: You said 2.",
    ]


async def test_a_number_out_of_range_is_a_message(app: App) -> None:
    out = io.StringIO()
    await chat(app, read=typed("coffee", "7"), out=out)
    assert out.getvalue().splitlines()[-1] == "Coffee Desk: You said 7."
