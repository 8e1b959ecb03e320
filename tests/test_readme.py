"""The README's paths, run exactly as printed: a newcomer's first hour must end green."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent


def readme_files() -> dict[str, str]:
    """Every code block of the README whose first line names its file (``# mybots/x.py``)."""
    files = {}
    for block in re.findall(r"```(?:python|toml)\n(.*?)```", README, re.DOTALL):
        named = re.fullmatch(r"# ([\w./]+\.(?:py|toml))", block.split("\n", 1)[0].strip())
        if named:
            files[named[1]] = block
    return files


def clean_env() -> dict[str, str]:
    """The environment of a newcomer's shell: no Slack or Baton settings, no PYTHONPATH."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "BATON_", "PYTEST_")) and k != "PYTHONPATH"}


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def test_the_readme_test_example_passes_with_plain_pytest_outside_this_repo(
        tmp_path: Path) -> None:
    files = readme_files()
    assert set(files) >= {"mybots/people.py", "mybots/router.py", "mybots/__init__.py",
                          "tests/test_people.py", "pyproject.toml"}
    project = tmp_path / "newcomer"
    for name in ("mybots/people.py", "mybots/router.py", "mybots/__init__.py",
                 "tests/test_people.py", "pyproject.toml"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(files[name])
    done = run(BIN / "pytest", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    checked = run(BIN / "baton", "validate", "--bots", "mybots", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr


FACILITIES_INTENT = '''    "broken_chair": [
        "my chair is broken", "the office chair wobbles", "can I get a new desk chair",
        "my seat is falling apart", "the chair at my desk squeaks", "replace my chair please",
        "my chair won't go up or down", "the armrest fell off my chair",
        "I need an ergonomic chair", "chair repair", "the chair's wheel broke",
        "who fixes broken office chairs",
    ],
'''
FACILITIES_DIALOG = '''

@facilities.dialog(intent="facilities.broken_chair")
async def broken_chair(turn: Turn) -> None:
    await turn.say("I've logged a repair for your chair; someone will come by today.")
'''


@pytest.mark.timeout(600)  # it runs the whole suite once more, in the copy
def test_the_add_a_persona_path_keeps_the_whole_suite_and_lint_green(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in ("adapter", "bots", "tests", "benchmarks"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns(
            "__pycache__", "artifacts", ".baton-cache"))
    for part in ("pyproject.toml", "README.md", "manifest.yaml", "Makefile"):
        shutil.copy(ROOT / part, project / part)

    made = run(BIN / "baton", "new", "persona", "facilities", cwd=project)
    assert made.returncode == 0, made.stderr
    # Straight from the scaffold, validate asks for the description users will see.
    unwritten = run(BIN / "baton", "validate", cwd=project)
    assert unwritten.returncode == 1
    assert "persona 'facilities' still has the placeholder description" in unwritten.stdout

    persona = project / "bots" / "facilities.py"
    source = persona.read_text()
    source = re.sub(r'description="TODO:[^"]*"', 'description="chairs, desks, rooms and repairs"',
                    source)
    source = source.replace('    "question": [', FACILITIES_INTENT + '    "question": [', 1)
    persona.write_text(source + FACILITIES_DIALOG)

    checked = run(BIN / "baton", "validate", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    linted = run(BIN / "ruff", "check", "adapter", "bots", "tests", "benchmarks", cwd=project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    # The whole suite, but for this file (which would run itself again, forever).
    suite = run(sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                "--ignore", "tests/test_readme.py", cwd=project, timeout=540)
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
    assert " passed" in suite.stdout.splitlines()[-1]
    assert "failed" not in suite.stdout.splitlines()[-1]
