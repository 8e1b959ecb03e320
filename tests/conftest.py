"""Shared fixtures: a small helpdesk of personas, built fresh for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter import App, Domain, Persona, Turn


def helpdesk() -> list[Persona]:
    """A router that hands trips to Travel, and two personas that answer."""
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")
    travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:")
    people = Persona("people", skill="hr", display_name="People Team",
                     icon="https://example.com/people.png")

    @router.dialog(pattern="(hi|hello)*")
    async def greet(turn: Turn) -> None:
        await turn.say("Hi! Ask me about trips or time off.")

    @router.dialog(pattern="*(flight|trip)*")
    async def to_travel(turn: Turn) -> None:
        await turn.transfer("travel", message=turn.text)

    @router.dialog(pattern="time off*")
    async def to_people(turn: Turn) -> None:
        await turn.transfer("hr")

    @router.dialog(pattern="echo *")
    async def echo(turn: Turn) -> None:
        await turn.say(f"You said: {turn.text[5:]}")

    @travel.dialog(pattern="*flight*")
    async def flight(turn: Turn) -> None:
        await turn.say("Where are you flying from?")

    @travel.fallback
    async def travel_unsure(turn: Turn) -> None:
        await turn.say(f"Travel Desk noted: {turn.text}")

    @people.welcome
    async def people_hello(turn: Turn) -> None:
        await turn.say("People Team here.")

    return [router, travel, people]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "baton.db"


@pytest.fixture
def app(db_path: Path) -> App:
    built = App(personas=helpdesk(), entry="router", db=db_path)
    yield built
    built.close()


__all__ = ["Domain", "helpdesk"]


# The playground's fixtures, for test_playground and test_playground_page.
from .playground_helpers import close_call_app, playground  # noqa: E402, F401
