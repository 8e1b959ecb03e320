"""``baton new persona NAME``: a persona file, its transcript test, and its place in the list."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from ..checks import PLACEHOLDER
from ..errors import BatonError

PERSONA = '''"""The {title} persona: its intents, its dialogs and what it helps with."""

from adapter import Domain, Persona, Turn

{name}_domain = Domain("{name}", {{
    # Add intents: a name, and a dozen ways people ask for it.
    "question": [
        "I have a question for {words}",
        "can {words} help me",
        "I need help from {words}",
        "ask {words} something",
        "talk to {words}",
        "put me through to {words}",
        "is {words} around",
        "connect me with {words}",
        "who handles {words} questions",
        "{words} please",
        "I'd like to speak to {words}",
        "get me {words}",
    ],
}})

{name} = Persona(
    "{name}", skill="{name}", display_name="{title}", icon=":sparkles:",
    domains=[{name}_domain], description="{about}",
    # examples=[...]: messages from its area that no intent names; the router sends them here
)


@{name}.dialog(intent="{name}.question")
async def question(turn: Turn) -> None:
    await turn.say("{title} here. What would you like to know?")


@{name}.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, {title} here. How can I help?")


@{name}.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("Sorry, {title} didn't catch that. Could you rephrase it?")
'''

TEST = '''"""Transcripts for the {name} persona (written by `baton new persona`)."""

from pathlib import Path

import pytest

from adapter import App
from adapter.testing import FakeSlack, Reply
from {package} import ENTRY, PERSONAS


@pytest.fixture
def app(tmp_path: Path) -> App:
    built = App(personas=PERSONAS, entry=ENTRY, db=tmp_path / "baton.db")
    yield built
    built.close()


async def test_the_router_hands_a_question_to_{name}(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I have a quick question for {words}")
    assert convo.replies == [Reply("{name}", "{title} here. What would you like to know?")]
    assert convo.owner == "{name}"


async def test_{name}_keeps_the_thread_and_falls_back_politely(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I have a quick question for {words}")
    await convo.user_says("qwzx")
    assert convo.replies[-1] == Reply("{name}", "Sorry, {title} didn't catch that. "
                                      "Could you rephrase it?")
    assert convo.owner == "{name}"
'''


def new_persona(name: str, package: str = "bots", tests: Path | None = None) -> list[Path]:
    """Write ``<package>/<name>.py`` and ``tests/test_<name>.py``, and list the persona in
    ``<package>/__init__.py``; returns the files written or changed."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
        raise BatonError(f"persona name {name!r} is not allowed: use lowercase letters, digits "
                         "and underscores, starting with a letter (e.g. 'facilities').")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise BatonError(f"{package!r} is not a package here; run this in your project's root "
                         "or pass --bots with your bots package.")
    folder = Path(next(iter(spec.submodule_search_locations)))
    init = folder / "__init__.py"
    target = folder / f"{name}.py"
    tests = tests or folder.parent / "tests"
    test_file = tests / f"test_{name}.py"
    for path in (target, test_file):
        if path.exists():
            raise BatonError(f"{path} already exists; pick another name or remove it first.")
    source = init.read_text()
    listing = re.search(r"^PERSONAS\s*=\s*\[(.*?)\]", source, re.MULTILINE | re.DOTALL)
    if listing is None:
        raise BatonError(f"{init} has no 'PERSONAS = [...]' list to add {name!r} to.")
    title = name.replace("_", " ").title()
    words = name.replace("_", " ")
    target.write_text(PERSONA.format(name=name, title=title, words=words,
                                     about=f"{PLACEHOLDER}: say what {title} helps with"))
    tests.mkdir(parents=True, exist_ok=True)
    test_file.write_text(TEST.format(name=name, title=title, words=words, package=package))
    items = listing.group(1).rstrip().rstrip(",")
    updated = source[:listing.start(1)] + (f"{items}, {name}" if items.strip() else name) + \
        source[listing.end(1):]
    init.write_text(_add_import(updated, name))
    return [target, test_file, init]


def _add_import(source: str, name: str) -> str:
    """``source`` with ``from .name import name`` among its relative imports, in the
    sorted place (as isort and ruff keep them)."""
    line = f"from .{name} import {name}\n"
    imports = list(re.finditer(r"^from \.(\w+) import .*\n", source, re.MULTILINE))
    later = next((m for m in imports if m[1] > name), None)
    if later is not None:
        return source[:later.start()] + line + source[later.start():]
    at = imports[-1].end() if imports else 0
    return source[:at] + line + source[at:]
