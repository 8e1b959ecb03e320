"""Domains of intents, stable intent IDs, and dialog-starter patterns."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import ConfigError, UnknownIntentError, caller_location, did_you_mean

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Fixed forever: changing it would change every intent ID.
_ID_NAMESPACE = uuid.UUID("6f1c1a52-2b7e-4f0e-9d6a-3b0c2a9e5d11")


def intent_id(domain: str, name: str) -> str:
    """The stable ID of ``domain.name``: the same on every machine and restart."""
    return "int_" + uuid.uuid5(_ID_NAMESPACE, f"{domain}.{name}").hex[:16]


@dataclass(frozen=True)
class Intent:
    """One intent of a domain: its name, stable ID and training phrases."""

    domain: str
    name: str
    id: str
    phrases: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.domain}.{self.name}"


@dataclass(frozen=True)
class IntentMatch:
    """The intent that started a dialog, with the classifier's score (1.0 when transferred)."""

    domain: str
    name: str
    id: str
    score: float

    @classmethod
    def of(cls, intent: Intent, score: float) -> IntentMatch:
        return cls(intent.domain, intent.name, intent.id, score)

    @property
    def qualified_name(self) -> str:
        return f"{self.domain}.{self.name}"


@dataclass(frozen=True)
class SkillMatch:
    """A skill whose area a message is in, with the skill classifier's calibrated score."""

    skill: str
    score: float


class Domain:
    """A named group of intents, each with its training phrases.

    >>> hr = Domain("hr", {"payday": ["when do we get paid"]})
    """

    def __init__(self, name: str, intents: Mapping[str, Sequence[str]]) -> None:
        for value, what in [(name, "domain")] + [(i, "intent") for i in intents]:
            if not _NAME.match(value):
                raise ConfigError(
                    f"{what} name {value!r} is not allowed: use lowercase letters, digits "
                    "and underscores, starting with a letter (e.g. 'pto_balance')."
                )
        self.name = name
        self.defined_at = caller_location()
        self.intents: dict[str, Intent] = {
            intent: Intent(name, intent, intent_id(name, intent), tuple(phrases))
            for intent, phrases in intents.items()
        }

    def __repr__(self) -> str:
        return f"Domain({self.name!r}, {len(self.intents)} intents)"


class IntentCatalog:
    """Every intent of a set of domains, found by "domain.intent" or by intent ID."""

    def __init__(self, domains: Iterable[Domain]) -> None:
        self._by_name: dict[str, Intent] = {}
        self._by_id: dict[str, Intent] = {}
        for domain in domains:
            for intent in domain.intents.values():
                self._by_name[intent.qualified_name] = intent
                self._by_id[intent.id] = intent

    def __iter__(self):
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def by_name(self, qualified_name: str) -> Intent:
        """The intent called "domain.intent"; an unknown name names the closest one."""
        try:
            return self._by_name[qualified_name]
        except KeyError:
            hint = did_you_mean(qualified_name, self._by_name) or (
                " Intents are named 'domain.intent', e.g. 'hr.payday'."
            )
            raise UnknownIntentError(f"unknown intent {qualified_name!r}.{hint}") from None

    def find(self, qualified_name: str) -> Intent | None:
        """The intent called "domain.intent", or None."""
        return self._by_name.get(qualified_name)

    def by_id(self, intent_id: str) -> Intent | None:
        """The intent with this ID, or None (an ID from elsewhere passes through)."""
        return self._by_id.get(intent_id)


# --- patterns -------------------------------------------------------------

_TRAILING_PUNCTUATION = " \t\n.!?,;:"


def normalize(text: str) -> str:
    """Case-folded text with single spaces and no trailing punctuation."""
    return " ".join(text.casefold().split()).strip(_TRAILING_PUNCTUATION)


def _pattern_regex(pattern: str) -> str:
    """Translate ``*`` and ``(a|b)`` into a regex; everything else is literal."""
    out: list[str] = []
    depth = 0
    literal = ""
    for char in normalize(pattern):
        if char in "*()|":
            out.append(re.escape(literal))
            literal = ""
            if char == "*":
                out.append(".*")
            elif char == "(":
                depth += 1
                out.append("(?:")
            elif char == ")":
                depth -= 1
                if depth < 0:
                    raise ConfigError(f"pattern {pattern!r} has a ')' without its '('.")
                out.append(")")
            else:
                out.append("|" if depth else re.escape("|"))
        else:
            literal += char
    if depth:
        raise ConfigError(f"pattern {pattern!r} has a '(' without its ')'.")
    out.append(re.escape(literal))
    return "".join(out)


@dataclass(frozen=True)
class Pattern:
    """A dialog-starter pattern: exact words, ``*`` wildcards, ``(a|b)`` alternatives,
    or a regular expression; always case-insensitive and matched against the whole message."""

    source: str
    is_regex: bool = False

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ConfigError("an empty pattern matches nothing; give some words, e.g. 'help*'.")
        try:
            regex = self.source if self.is_regex else _pattern_regex(self.source)
            object.__setattr__(self, "_compiled", re.compile(regex, re.IGNORECASE | re.DOTALL))
        except re.error as error:
            raise ConfigError(f"regex {self.source!r} does not compile: {error}.") from None

    @property
    def key(self) -> str:
        """What makes two patterns the same starter."""
        return ("regex:" + self.source) if self.is_regex else ("pattern:" + normalize(self.source))

    def matches(self, text: str) -> bool:
        compiled: re.Pattern[str] = self._compiled  # type: ignore[attr-defined]
        if self.is_regex:
            return compiled.search(text) is not None
        return compiled.fullmatch(normalize(text)) is not None
