"""`baton validate`: the shipped bots pass; each seeded mistake is named with its fix."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from adapter.cli.main import main

HEADER = """
from adapter import Domain, Persona, Router, Turn

router = Router("router")
people = Persona("people", skill="hr", domains=[Domain("hr", {
    "payday": ["when do we get paid", "when is payday"],
    "pto": ["how many days off do I have", "vacation balance"],
})])

@people.dialog(intent="hr.payday")
async def payday(turn: Turn) -> None:
    await turn.say("The 25th.")

EXTRA = []
"""


FOOTER = 'PERSONAS = [router, people, *EXTRA]\nENTRY = "router"\n'


@pytest.fixture
def bots_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a bots module and return its name; each test gets a fresh module name."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names: list[str] = []

    def write(body: str, footer: str = FOOTER) -> str:
        name = f"seeded_bots_{len(names)}_{abs(hash(body)) % 10**8}"
        (tmp_path / f"{name}.py").write_text(HEADER + textwrap.dedent(body) + footer)
        names.append(name)
        return name

    yield write
    for name in names:
        sys.modules.pop(name, None)


def run_validate(name: str, capsys) -> tuple[int, list[str]]:
    code = main(["validate", "--bots", name])
    return code, capsys.readouterr().out.splitlines()


def test_the_shipped_bots_validate(capsys) -> None:
    code, lines = run_validate("bots", capsys)
    assert code == 0
    assert lines[-1].startswith("bots: ") and lines[-1].endswith("; no problems.")


def test_a_clean_module_passes(bots_module, capsys) -> None:
    code, lines = run_validate(bots_module(""), capsys)
    assert (code, lines) == (0, [lines[0]])
    assert lines[0].endswith(": 2 personas, 2 skills, 2 intents; no problems.")


@pytest.mark.parametrize(("body", "expected"), [
    ("""
     empty = Domain("facilities", {"broken_chair": []})
     people.domains = (*people.domains, empty)
     """, "intent 'facilities.broken_chair' has no training phrases; add a dozen ways people "
          "ask for it."),
    ("""
     twin = Persona("twin", skill="hr2", domains=people.domains)
     EXTRA = [twin]
     """, "intent 'hr.payday' is in the domains of personas 'people' and 'twin'; the router "
          "cannot tell which should answer: keep the domain in one persona."),
    ("""
     @people.dialog(pattern="*")
     async def anything(turn: Turn) -> None: ...

     @people.dialog(pattern="help*")
     async def helping(turn: Turn) -> None: ...
     """, "pattern 'help*' of dialog 'helping' can never match: dialog 'anything' (registered "
          "earlier) takes every message it would; register it first or narrow the earlier "
          "pattern."),
    ("""
     @people.dialog(pattern="travel*")
     async def to_travel(turn: Turn) -> None:
         await turn.transfer("travle", message=turn.text)
     """, "transfer to skill 'travle', which no persona serves. Add skill='travle' to a "
          "persona, or fix the name."),
    ("""
     @people.dialog(pattern="pay*")
     async def to_pay(turn: Turn) -> None:
         await turn.transfer("hr", intent="hr.pay_day")
     """, "transfer with unknown intent 'hr.pay_day'. Did you mean 'hr.payday'?"),
])
def test_each_seeded_mistake_is_named(bots_module, capsys, body: str, expected: str) -> None:
    name = bots_module(body)
    code, lines = run_validate(name, capsys)
    assert code == 1
    assert len(lines) == 1
    where, _, message = lines[0].partition(": ")
    assert where.startswith(str(Path(name + ".py"))) or f"{name}.py:" in where
    assert message == expected


def test_configuration_errors_are_reported_not_raised(bots_module, capsys) -> None:
    name = bots_module("", footer='PERSONAS = [router, people]\nENTRY = "ruter"\n')
    code, lines = run_validate(name, capsys)
    assert code == 1
    assert lines[0].endswith("entry persona 'ruter' is not one of the personas (router, "
                             "people). Did you mean 'router'?")


def test_a_mistake_raised_while_importing_points_at_its_line(bots_module, capsys) -> None:
    name = bots_module("""
     @people.dialog(intent="hr.payday")
     async def payday_again(turn: Turn) -> None: ...
     """)
    code, lines = run_validate(name, capsys)
    assert code == 1
    assert f"{name}.py:" in lines[0]
    assert "have the same starter 'hr.payday'; remove it from one of them." in lines[0]


def test_a_module_without_personas_is_named(bots_module, capsys) -> None:
    code, lines = run_validate(bots_module("", footer=""), capsys)
    assert code == 1
    assert lines[0].endswith("lacks PERSONAS and ENTRY: define PERSONAS = [...] and ENTRY = "
                             "'persona name'.")


SIX_MISTAKES = '''\
from adapter import Domain, Persona, Router, Turn

router = Router("router")
hr = Domain("hr", {
    "payday": ["when do we get paid", "when is payday"],
    "pto": [],
})
people = Persona("people", skill="hr", domains=[hr])
twin = Persona("twin", skill="hr2", domains=[hr])


@people.dialog(intent="hr.pay_day")
async def payday(turn: Turn) -> None:
    await turn.transfer("travle", message=turn.text)


@people.dialog(pattern="*")
async def anything(turn: Turn) -> None: ...


@people.dialog(pattern="help*")
async def helping(turn: Turn) -> None: ...


PERSONAS = [router, people, twin]
ENTRY = "ruter"
'''


def line_of(text: str) -> int:
    """The line of SIX_MISTAKES holding ``text``, counting from 1."""
    return next(n for n, line in enumerate(SIX_MISTAKES.splitlines(), 1) if text in line)


def test_every_problem_comes_in_one_run_each_at_its_own_line(bots_module, capsys,
                                                              tmp_path: Path) -> None:
    name = "six_mistakes"
    (tmp_path / f"{name}.py").write_text(SIX_MISTAKES)
    code, lines = run_validate(name, capsys)
    assert code == 1
    found = [(int(line.split(": ", 1)[0].rsplit(":", 1)[1]), line.split(": ", 1)[1])
             for line in lines]
    assert found == [
        (line_of('ENTRY = "ruter"'),
         "entry persona 'ruter' is not one of the personas (router, people, twin). "
         "Did you mean 'router'?"),
        (line_of('@people.dialog(intent="hr.pay_day")'),
         "unknown intent 'hr.pay_day'. Did you mean 'hr.payday'?"),
        (line_of('hr = Domain("hr"'),
         "intent 'hr.pto' has no training phrases; add a dozen ways people ask for it."),
        (line_of('twin = Persona('),
         "intent 'hr.payday' is in the domains of personas 'people' and 'twin'; the router "
         "cannot tell which should answer: keep the domain in one persona."),
        (line_of('@people.dialog(pattern="help*")'),
         "pattern 'help*' of dialog 'helping' can never match: dialog 'anything' (registered "
         "earlier) takes every message it would; register it first or narrow the earlier "
         "pattern."),
        (line_of('await turn.transfer("travle"'),
         "transfer to skill 'travle', which no persona serves. Add skill='travle' to a "
         "persona, or fix the name."),
    ]
    assert all(line.startswith(f"{name}.py:") or f"/{name}.py:" in line for line in lines)
    sys.modules.pop(name, None)


def test_app_names_every_problem_at_once() -> None:
    from adapter import App, ConfigError

    namespace: dict = {}
    exec(compile(SIX_MISTAKES, "six.py", "exec"), namespace)
    with pytest.raises(ConfigError) as raised:
        App(personas=namespace["PERSONAS"], entry=namespace["ENTRY"], db=":memory:")
    message = str(raised.value)
    assert message.startswith("5 problems with the personas:\n  1. entry persona 'ruter'")
    assert "\n  5. pattern 'help*' of dialog 'helping' can never match" in message
