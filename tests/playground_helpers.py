"""What the playground's tests share: a running playground and a router's close call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_asyncio

from adapter import App, Domain, Persona, Router, Turn
from adapter.playground import Playground, serve_playground


@pytest_asyncio.fixture
async def playground(app: App) -> AsyncIterator[Playground]:
    served = await serve_playground(app, port=0)
    yield served
    await served.close()


hr = Domain("hr", {"payday": ["when do we get paid", "when is payday"]})
trips = Domain("travel", {"visa": ["do I need a visa", "visa requirements for japan"]})
CLOSE_CALL = "I need a visa letter for my trip"


class Scripted:
    """A classifier whose answers the test writes down, so the close call is certain."""

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        pass

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return [("travel.visa", 0.83), ("hr.payday", 0.80)][:k] if text == CLOSE_CALL else []


def close_call_cast() -> list[Persona]:
    people = Persona("people", skill="hr", display_name="People Team", icon=":palm_tree:",
                     domains=[hr])
    desk = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                   domains=[trips], namespaces={"trip": 3600, "profile": None})

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say("Payday is the 25th.")

    @desk.dialog(intent="travel.visa")
    async def visa(turn: Turn) -> None:
        await turn.store.set("trip", "purpose", "visa letter")
        await turn.store.set("profile", "home_desk", "Travel Desk", scope="user")
        await turn.say(f"Visa help for: {turn.text}")

    return [Router(icon=":wave:"), people, desk]


@pytest.fixture
def close_call_app(db_path: Path) -> App:
    built = App(personas=close_call_cast(), entry="router", db=db_path,
                classifier=lambda: Scripted())
    yield built
    built.close()
