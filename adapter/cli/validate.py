"""``baton validate``: every mistake in a bots module that can be found before Slack is called.

It runs the same registration checks as ``App()`` (adapter/checks.py), reports all of
them in one run, each at its file:line, and adds what needs the source: literal
``turn.transfer("skill", intent="domain.intent")`` calls.
"""

from __future__ import annotations

import ast
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .. import checks
from ..errors import BatonError, did_you_mean
from ..intents import IntentCatalog
from ..persona import Persona
from .loading import BotsImportError, load_bots

# Which module-level name a located-nowhere problem is about.
SETTING_NAMES = {"entry": "ENTRY", "fallback_skills": "FALLBACK_SKILLS", "personas": "PERSONAS"}


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is (file:line), and a message naming the value and the fix."""

    where: str
    message: str
    blocking: bool = True  # False: the app runs with it, but it should not ship so

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _at(location: tuple[str, int]) -> str:
    path, line = location
    try:
        path = str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        pass
    return f"{path}:{line}"


def validate(module_name: str) -> list[Problem]:
    """Import the bots module and check it; an empty list means it is ready to run."""
    try:
        bots = load_bots(module_name)
    except BotsImportError as error:
        if isinstance(error.cause, ModuleNotFoundError):
            return [Problem(module_name, str(error))]
        return [Problem(_raised_at(error.cause), str(error))]
    except BatonError as error:  # PERSONAS or ENTRY missing
        module = sys.modules[module_name]
        return [Problem(_at((module.__file__ or module_name, 1)), str(error))]
    found = checks.problems(bots.personas, bots.entry, bots.fallback_skills)
    located = [Problem(_at(p.where or _setting_line(bots.module, p.about)), p.message,
                       p.blocking) for p in found]
    valid = [p for p in bots.personas if isinstance(p, Persona)]
    return located + list(_literal_transfers(bots.module, valid))


def _setting_line(module: ModuleType, about: str | None) -> tuple[str, int]:
    """Where the module assigns the setting a problem is about (ENTRY = ..., say)."""
    path = module.__file__ or module.__name__
    name = SETTING_NAMES.get(about or "")
    try:
        tree = ast.parse(Path(path).read_text(), path)
    except (OSError, SyntaxError):
        return path, 1
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return path, node.lineno
    return path, 1


def _raised_at(error: BaseException) -> str:
    package = str(Path(__file__).parent.parent)  # frames in Baton itself are not the mistake
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(package)]
    return _at((frames[-1].filename, frames[-1].lineno or 0)) if frames else "<import>"


def _literal_transfers(module: ModuleType, personas: list[Persona]) -> Iterator[Problem]:
    skills = checks.skills_of(personas)
    catalog = IntentCatalog(checks.unique_domains(personas))
    for path in _source_files(module):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "transfer"):
                continue
            where = _at((str(path), node.lineno))
            if node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) \
                    and node.args[0].value not in skills:
                skill = node.args[0].value
                yield Problem(where, f"transfer to skill {skill!r}, which no persona serves."
                                     f"{did_you_mean(skill, skills)} Add "
                                     f"skill={skill!r} to a persona, or fix the name.")
            for keyword in node.keywords:
                if keyword.arg == "intent" and isinstance(keyword.value, ast.Constant) \
                        and isinstance(keyword.value.value, str):
                    try:
                        catalog.by_name(keyword.value.value)
                    except BatonError as error:
                        yield Problem(where, f"transfer with {error}")


def _source_files(module: ModuleType) -> list[Path]:
    if not module.__file__:
        return []
    path = Path(module.__file__)
    if path.name == "__init__.py":
        return sorted(path.parent.rglob("*.py"))
    return [path]


def main(module_name: str) -> int:
    """Print each problem on its own line; exit status 1 when there is any."""
    problems = validate(module_name)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in {module_name}.",
              file=sys.stderr)
        return 1
    module = sys.modules[module_name]
    personas = list(module.PERSONAS)
    intents = sum(len(d.intents) for p in personas for d in p.domains)
    print(f"{module_name}: {len(personas)} personas, "
          f"{len({s for p in personas for s in p.skills})} skills, {intents} intents; no problems.")
    return 0
