"""``baton validate``: every mistake in a bots module that can be found before Slack is called."""

from __future__ import annotations

import ast
import importlib
import itertools
import re
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .errors import BatonError, did_you_mean
from .intents import IntentCatalog, Pattern
from .nlu import KeywordClassifier
from .persona import Dialog, Persona
from .registry import Registry


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is, and a message naming the value and the fix."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _at(location: tuple[str, int]) -> str:
    path, line = location
    try:
        path = str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        pass
    return f"{path}:{line}"


def _fn_at(dialog: Dialog) -> str:
    code = dialog.fn.__code__
    return _at((code.co_filename, code.co_firstlineno))


def validate(module_name: str) -> list[Problem]:
    """Import the bots module and check it; an empty list means it is ready to run."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        return [Problem(module_name, f"cannot import {module_name!r}: {error}; pass --bots "
                                     "with an importable module.")]
    except BatonError as error:  # e.g. two dialogs with one starter, raised at decoration
        return [Problem(_raised_at(error), str(error))]
    missing = [name for name in ("PERSONAS", "ENTRY") if not hasattr(module, name)]
    if missing:
        return [Problem(_at((module.__file__ or module_name, 1)),
                        f"{module_name} lacks {' and '.join(missing)}: define PERSONAS = [...] "
                        "and ENTRY = 'persona name'.")]
    personas = list(module.PERSONAS)
    try:
        registry = Registry(personas, module.ENTRY, classifier=KeywordClassifier,
                            fallback_skills=getattr(module, "FALLBACK_SKILLS", None))
    except BatonError as error:
        return [Problem(_at((module.__file__ or module_name, 1)), str(error))]
    return [*_phrases(personas), *_shared_intents(personas), *_shadowed(personas),
            *_literal_transfers(module, registry)]


def _raised_at(error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(str(Path(__file__).parent))]
    return _at((frames[-1].filename, frames[-1].lineno or 0)) if frames else "<import>"


def _phrases(personas: list[Persona]) -> Iterator[Problem]:
    seen: set[int] = set()
    for domain in (d for p in personas for d in p.domains):
        if id(domain) in seen:
            continue
        seen.add(id(domain))
        for intent in domain.intents.values():
            if not any(phrase.strip() for phrase in intent.phrases):
                yield Problem(_at(domain.defined_at),
                              f"intent {intent.qualified_name!r} has no training phrases; add "
                              "a dozen ways people ask for it.")


def _shared_intents(personas: list[Persona]) -> Iterator[Problem]:
    owner: dict[str, Persona] = {}
    for persona in personas:
        for domain in persona.domains:
            for intent in domain.intents.values():
                first = owner.setdefault(intent.qualified_name, persona)
                if first is not persona:
                    yield Problem(_at(persona.defined_at),
                                  f"intent {intent.qualified_name!r} is in the domains of personas "
                                  f"{first.name!r} and {persona.name!r}; the router cannot tell "
                                  "which should answer: keep the domain in one persona.")
                    break  # one line per shared domain is enough


def _examples(pattern: Pattern) -> list[str]:
    """A few messages the pattern is written to match (one per combination of alternatives)."""
    parts = re.split(r"(\([^()]*\))", pattern.source)
    choices = [p[1:-1].split("|") if p.startswith("(") else [p] for p in parts]
    return ["".join(combo).replace("*", " something ")
            for combo in itertools.islice(itertools.product(*choices), 16)]


def _shadowed(personas: list[Persona]) -> Iterator[Problem]:
    for persona in personas:
        for index, dialog in enumerate(persona.dialogs):
            earlier = persona.dialogs[:index]
            for pattern in dialog.patterns:
                if pattern.is_regex or re.search(r"\([^)]*\(", pattern.source):
                    continue  # regexes and nested groups: no examples to try
                examples = _examples(pattern)
                catchers = [d for d in earlier if all(
                    any(p.matches(e) for p in d.patterns) for e in examples)]
                if examples and catchers:
                    yield Problem(_fn_at(dialog),
                                  f"pattern {pattern.source!r} of dialog {dialog.name!r} can "
                                  f"never match: dialog {catchers[0].name!r} (registered "
                                  "earlier) takes every message it would; register it first or "
                                  "narrow the earlier pattern.")


def _literal_transfers(module: ModuleType, registry: Registry) -> Iterator[Problem]:
    catalog: IntentCatalog = registry.catalog
    for path in _source_files(module):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "transfer"):
                continue
            where = _at((str(path), node.lineno))
            if node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) \
                    and node.args[0].value not in registry.skills:
                skill = node.args[0].value
                yield Problem(where, f"transfer to skill {skill!r}, which no persona serves."
                                     f"{did_you_mean(skill, registry.skills)} Add "
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
