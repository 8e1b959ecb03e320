"""Shared fixtures: a small helpdesk of personas, built fresh for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App, Domain, Persona, Turn

from .backends import BOTH, SERVER, SKIP_REASON, postgres_schema


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The suites in ``backends.BOTH`` run once per storage backend."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "db_path" in metafunc.fixturenames and module in BOTH:
        metafunc.parametrize("db_path", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where the test's app keeps its data: a SQLite file, or a fresh PostgreSQL schema."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield tmp_path / "baton.db"
        return
    if not SERVER:
        pytest.skip(SKIP_REASON)
    with postgres_schema() as url:
        yield url


@pytest.fixture
def app(db_path: Path) -> App:
    built = App(personas=helpdesk(), entry="router", db=db_path)
    yield built
    built.close()


__all__ = ["Domain", "helpdesk"]


# The playground's fixtures, for test_playground and test_playground_page.
from .playground_helpers import close_call_app, playground  # noqa: E402, F401
