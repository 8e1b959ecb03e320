"""`baton route` and `baton misroutes`: what the router would do with a message and why,
how a labelled set routes, and the messages users said were not what they meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter.cli.main import main
from bots.router import router


@pytest.fixture(autouse=True)
def shared_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
                 tmp_path: Path) -> None:
    # The shipped bots' classifiers, trained once per test session (tests/bots_helpers.py).
    monkeypatch.setenv("BATON_CACHE_DIR",
                       str(tmp_path_factory.getbasetemp() / "bots-classifier-cache"))
    monkeypatch.setenv("BATON_DB", str(tmp_path / "baton.db"))


def test_route_prints_the_decision_the_scores_and_why(capsys: pytest.CaptureFixture) -> None:
    assert main(["route", "when is payday?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("decision: transfer to hr (People Team) with intent hr.payday and the "
                        "message")
    assert lines[1].startswith("why: skill hr ")
    assert lines[1].endswith(": transfer with intent hr.payday and the message")
    assert lines[2] == (f"thresholds: intent 0.75 (sure {router.sure:.2f}), skill "
                        f"{router.skill_threshold:.2f} (sure {router.skill_sure:.2f}), intent "
                        f"once the skill is decided {router.area_intent:.2f}")
    skills = lines[lines.index("skills:") + 1:lines.index("intents:")]
    assert skills[0].split()[1:] == ["hr", "People", "Team"]  # then the other desks' skills
    assert {line.split()[1] for line in skills} >= {"hr", "travel", "card"}
    assert lines[lines.index("intents:") + 1].split()[1] == "hr.payday"


def test_route_says_when_no_desk_fits(capsys: pytest.CaptureFixture) -> None:
    assert main(["route", "who won the football game last night?"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "decision: keep it and list what the desks help with"
    assert out[1].startswith("why: no skill fits: the best, skill ")


def test_route_names_the_routers_own_dialog(capsys: pytest.CaptureFixture) -> None:
    assert main(["route", "hello"]) == 0
    assert capsys.readouterr().out == (
        "decision: the router answers itself, with its dialog greet (its own patterns and "
        "intents come before routing)\n")


def test_route_file_scores_each_area(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    labelled = tmp_path / "set.tsv"
    labelled.write_text("people\twhen is payday?\n"
                        "travel\tbook me a flight to Oslo on Monday\n"
                        "card\tI lost my corporate card\n"
                        "out_of_scope\ttell me a joke\n", encoding="utf-8")
    assert main(["route", "--file", str(labelled)]) == 0
    assert capsys.readouterr().out == (
        "| area | messages | right desk at once | asked, right desk offered | kept by the "
        "router |\n"
        "|---|---|---|---|---|\n"
        "| hr | 1 | 1 (1.00) | 0 | 0 |\n"
        "| travel | 1 | 1 (1.00) | 0 | 0 |\n"
        "| card | 1 | 1 (1.00) | 0 | 0 |\n"
        "| out_of_scope | 1 | - | asked 0 | 1 (1.00) |\n"
        "\n"
        "first-hop accuracy (in-area messages sent to the right desk at once): **1.000** "
        "(3 of 3)\n"
        "out of scope kept by the router: **1.000** (1 of 1)\n")


def test_route_file_names_an_unknown_area_and_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture,
) -> None:
    labelled = tmp_path / "set.tsv"
    labelled.write_text("people\twhen is payday?\nfinance\tmy invoice\n", encoding="utf-8")
    assert main(["route", "--file", str(labelled)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"baton: {labelled}:2: unknown area 'finance'; use a skill, a "
                          "persona's name or out_of_scope (")


def test_route_needs_a_message_or_a_file(capsys: pytest.CaptureFixture) -> None:
    assert main(["route"]) == 1
    assert "baton route needs a message" in capsys.readouterr().err
