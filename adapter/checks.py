"""Registration checks: every mistake in a set of personas, each with where it is and the fix.

``App()`` runs these and raises one ``ConfigError`` listing them all; ``baton validate``
runs the same and prints each at its file:line (it adds only the checks that need the
source, such as literal ``turn.transfer`` calls).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .errors import ConfigError, UnknownIntentError, did_you_mean
from .intents import Domain, IntentCatalog, Pattern
from .persona import Dialog, Persona
from .storage.values import StoreError, check_namespace

Location = tuple[str, int]  # file, line


@dataclass(frozen=True)
class Problem:
    """One mistake: a message naming the value and the fix, and where it is when known.

    ``about`` says which setting a problem without a location concerns ("entry",
    "fallback_skills", "personas"), so ``baton validate`` can point at its line.
    """

    message: str
    where: Location | None = None
    about: str | None = None
    # False for what an app can run with but should not ship with (``baton validate``
    # fails on it; ``App()`` logs it as a warning).
    blocking: bool = True


def dialog_location(dialog: Dialog) -> Location:
    """The first line of a dialog's definition (its decorator)."""
    code = getattr(dialog.fn, "__code__", None)
    return (code.co_filename, code.co_firstlineno) if code else ("<unknown>", 0)


def skills_of(personas: Sequence[Persona]) -> dict[str, list[Persona]]:
    """Each skill and the personas serving it, in registration order."""
    skills: dict[str, list[Persona]] = {}
    for persona in personas:
        for skill in persona.skills:
            skills.setdefault(skill, []).append(persona)
    return skills


def unique_domains(personas: Sequence[Persona]) -> list[Domain]:
    """Every domain of the personas once, the first of any two that share a name."""
    seen: dict[str, Domain] = {}
    for persona in personas:
        for domain in persona.domains:
            seen.setdefault(domain.name, domain)
    return list(seen.values())


def problems(personas: Sequence[object], entry: str,
             fallback_skills: Mapping[str, str] | None = None) -> list[Problem]:
    """Every registration mistake in ``personas`` with ``entry`` as the entry persona."""
    if not personas:
        return [Problem("App(personas=[]) is empty: give at least the entry persona.",
                        about="personas")]
    found = [Problem(f"personas= holds {p!r}, which is not a Persona.", about="personas")
             for p in personas if not isinstance(p, Persona)]
    valid = [p for p in personas if isinstance(p, Persona)]
    found += _names(valid, entry)
    skills = skills_of(valid)
    for skill, fallback in (fallback_skills or {}).items():
        for named in (skill, fallback):
            if named not in skills:
                found.append(Problem(
                    f"fallback_skills={{{skill!r}: {fallback!r}}} names skill {named!r}, which "
                    f"no persona serves.{did_you_mean(named, skills)} Add skill={named!r} to a "
                    "persona, or fix the name.", about="fallback_skills"))
    found += _domains(valid)
    catalog = IntentCatalog(unique_domains(valid))
    found += _dialog_intents(valid, catalog)
    found += _phrases(valid)
    found += _shared_intents(valid, entry)
    found += _shadowed(valid)
    found += _namespaces(valid)
    found += _placeholders(valid)
    return found


def raise_for(found: Sequence[Problem]) -> None:
    """Raise one ``ConfigError`` naming every blocking problem; nothing when there is none."""
    found = [p for p in found if p.blocking]
    if not found:
        return
    if len(found) == 1:
        raise _error_for(found[0])
    lines = "\n".join(f"  {n}. {p.message}" for n, p in enumerate(found, 1))
    raise ConfigError(f"{len(found)} problems with the personas:\n{lines}")


def _error_for(problem: Problem) -> ConfigError:
    kind = UnknownIntentError if problem.message.startswith("unknown intent") else ConfigError
    return kind(problem.message)


def _names(personas: list[Persona], entry: str) -> Iterator[Problem]:
    names: dict[str, Persona] = {}
    for persona in personas:
        if persona.name in names:
            yield Problem(f"two personas are named {persona.name!r}; give each persona its own "
                          "name.", persona.defined_at)
        names.setdefault(persona.name, persona)
    if entry not in names:
        yield Problem(f"entry persona {entry!r} is not one of the personas "
                      f"({', '.join(names)}).{did_you_mean(entry, names)}", about="entry")


def _domains(personas: list[Persona]) -> Iterator[Problem]:
    seen: dict[str, Domain] = {}
    for persona in personas:
        for domain in persona.domains:
            other = seen.setdefault(domain.name, domain)
            if other is not domain and other.intents != domain.intents:
                yield Problem(f"two different domains are named {domain.name!r}; rename one, "
                              "or share one Domain object between the personas.",
                              domain.defined_at)


def _dialog_intents(personas: list[Persona], catalog: IntentCatalog) -> Iterator[Problem]:
    for persona in personas:
        own = {i.qualified_name for d in persona.domains for i in d.intents.values()}
        for dialog in persona.dialogs:
            if dialog.intent is None or dialog.intent in own:
                continue
            where = dialog_location(dialog)
            try:
                catalog.by_name(dialog.intent)
            except UnknownIntentError as error:
                yield Problem(str(error), where)
                continue
            yield Problem(f"persona {persona.name!r} has a dialog for intent {dialog.intent!r}, "
                          "but that intent's domain is not in its domains; add it to "
                          "domains=[...].", where)


def _phrases(personas: list[Persona]) -> Iterator[Problem]:
    seen: set[int] = set()
    for domain in (d for p in personas for d in p.domains):
        if id(domain) in seen:
            continue
        seen.add(id(domain))
        for intent in domain.intents.values():
            if not any(phrase.strip() for phrase in intent.phrases):
                yield Problem(f"intent {intent.qualified_name!r} has no training phrases; add "
                              "a dozen ways people ask for it.", domain.defined_at)


def _shared_intents(personas: list[Persona], entry: str) -> Iterator[Problem]:
    # The entry persona may share a desk's domain to match its intents and forward them
    # (LivePerson's getDialogStarterIntent); two desks sharing one leave routing ambiguous.
    owner: dict[str, Persona] = {}
    for persona in (p for p in personas if p.name != entry):
        for domain in persona.domains:
            for intent in domain.intents.values():
                first = owner.setdefault(intent.qualified_name, persona)
                if first is not persona:
                    yield Problem(f"intent {intent.qualified_name!r} is in the domains of "
                                  f"personas {first.name!r} and {persona.name!r}; the router "
                                  "cannot tell which should answer: keep the domain in one "
                                  "persona.", persona.defined_at)
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
                    yield Problem(f"pattern {pattern.source!r} of dialog {dialog.name!r} can "
                                  f"never match: dialog {catchers[0].name!r} (registered "
                                  "earlier) takes every message it would; register it first or "
                                  "narrow the earlier pattern.", dialog_location(dialog))


def _namespaces(personas: list[Persona]) -> Iterator[Problem]:
    declared: dict[str, tuple[float | None, str]] = {}
    for persona in personas:
        for name, ttl in persona.namespaces.items():
            try:
                check_namespace(name, ttl)
            except StoreError as error:
                yield Problem(f"persona {persona.name!r}: {error}", persona.defined_at)
                continue
            if name in declared and declared[name][0] != ttl:
                other_ttl, other = declared[name]
                yield Problem(f"namespace {name!r} has ttl {other_ttl!r} in persona {other!r} "
                              f"but {ttl!r} in persona {persona.name!r}; give both the same "
                              "TTL.", persona.defined_at)
            declared.setdefault(name, (ttl, persona.name))


PLACEHOLDER = "TODO"  # how `baton new persona` marks text the developer has still to write


def _placeholders(personas: list[Persona]) -> Iterator[Problem]:
    for persona in personas:
        if (persona.description or "").lstrip().upper().startswith(PLACEHOLDER):
            yield Problem(f"persona {persona.name!r} still has the placeholder description "
                          f"{persona.description!r}; users see it in the router's menu: say "
                          "in a few words what it helps with.", persona.defined_at,
                          blocking=False)
