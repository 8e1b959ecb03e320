"""HumanTeam: a skill served by people in a Slack channel, and the hours they keep.

A transfer to a human team posts a handoff card in the team's channel; the first agent to
click Claim owns the conversation (owner ``human:U…``) and talks in the user's thread
while the bots stay silent; "Back to bots" or ``/baton release [intent or skill]`` hands
it back. Nobody claiming within ``claim_timeout``, or the team's hours being over, fails
the transfer through the usual path (a fallback skill, the sender's ``@transfer_failed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cards import CLAIM, RELEASE
from .errors import ConfigError
from .persona import Persona

HUMAN = "human:"  # the owner of a conversation a person has claimed: "human:U0AGENT01"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$")


def human_owner(user: str) -> str:
    """The owner value of a conversation claimed by Slack user ``user``."""
    return f"{HUMAN}{user}"


def agent_of(owner: str) -> str | None:
    """The Slack user who owns the conversation, or None when a persona (or team) does."""
    return owner[len(HUMAN):] if owner.startswith(HUMAN) else None


def duration(seconds: float, at_least: str = "second") -> str:
    """``seconds`` in words: "1 second", "10 minutes", "2 hours" (never less than one
    ``at_least``)."""
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds >= 2 * size and unit != "second" or unit == at_least:
            count = max(1, round(seconds / size))
            return f"{count} {unit}{'s' if count > 1 else ''}"
    return f"{round(seconds)} seconds"


@dataclass(frozen=True)
class Hours:
    """When a team answers: ``Hours("09:00-17:30", days="mon-fri", tz="Europe/London")``."""

    span: str = "00:00-24:00"
    days: str = "mon-sun"
    tz: str = "UTC"
    _open: time = field(init=False, repr=False, compare=False)
    _close: time | None = field(init=False, repr=False, compare=False)
    _days: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = _SPAN.match(self.span.replace(" ", ""))
        if not found or int(found[1]) > 24 or int(found[3]) > 24 or \
                int(found[2]) > 59 or int(found[4]) > 59:
            raise ConfigError(f"Hours({self.span!r}): give the opening hours as 'HH:MM-HH:MM', "
                              "e.g. '09:00-17:30'.")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"Hours(tz={self.tz!r}) is not a time zone: use an IANA name "
                              "such as 'Europe/London' or 'America/New_York'.") from None
        opens = time(int(found[1]) % 24, int(found[2]))
        closes = None if found[3] == "24" else time(int(found[3]), int(found[4]))
        object.__setattr__(self, "_open", opens)
        object.__setattr__(self, "_close", closes)
        object.__setattr__(self, "_days", frozenset(_day_numbers(self.days)))

    def open_at(self, moment: float) -> bool:
        """Whether the team answers at Unix time ``moment``."""
        local = datetime.fromtimestamp(moment, ZoneInfo(self.tz))
        if local.weekday() not in self._days:
            return False
        now = local.time()
        return self._open <= now and (self._close is None or now < self._close)

    def describe(self) -> str:
        return f"{self.days} {self.span} {self.tz}"


def _day_numbers(days: str) -> list[int]:
    numbers: list[int] = []
    for part in days.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ConfigError(f"Hours(days={days!r}): name days as mon, tue, ... sun, with "
                              "ranges and commas, e.g. 'mon-fri' or 'mon-thu,sat'.")
        start, end = DAYS.index(first), DAYS.index(last or first)
        numbers += [d % 7 for d in range(start, end + 1 if end >= start else end + 8)]
    return numbers


async def _answered_by_the_engine(turn: object) -> None:
    """A card's Claim and Back to bots are run by the engine (adapter/agents.py); this
    registration only lets their clicks be admitted."""


@dataclass(eq=False)
class HumanTeam(Persona):
    """People in a Slack channel who serve a skill (by default, the team's name).

    ``channel``: where handoff cards go (an id like "C0QUEUE" or a name like
    "#payroll-queue"). ``claim_timeout``: seconds an agent has to claim before the transfer
    fails; ``usual_wait`` is what the user is told about it. ``hours``: when the team
    answers (None: always); a transfer outside them fails at once.
    """

    channel: str = ""
    claim_timeout: float = 15 * 60
    hours: Hours | None = None
    usual_wait: str | None = None  # e.g. "within 10 minutes"; else from claim_timeout
    agent_timeout: float = 5 * 60  # seconds a named agent has, before the whole team

    def __post_init__(self) -> None:
        if not self.skill and not self.skills:
            self.skill = self.name
        super().__post_init__()
        self.reroute = False  # the bots stay out of a thread that waits for a person
        for action in (CLAIM, RELEASE):  # the card's buttons: the engine answers them
            self.button(action)(_answered_by_the_engine)
        if not isinstance(self.channel, str) or not _CHANNEL.match(self.channel):
            raise ConfigError(f"HumanTeam {self.name!r} has channel={self.channel!r}: give the "
                              "team's channel id ('C0QUEUE') or name ('#payroll-queue').")
        for name, value in (("claim_timeout", self.claim_timeout),
                            ("agent_timeout", self.agent_timeout)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"HumanTeam {self.name!r} has {name}={value!r}: give the "
                                  "seconds an agent has to claim (> 0).")

    def open_at(self, moment: float) -> bool:
        """Whether the team takes handoffs at Unix time ``moment``."""
        return self.hours is None or self.hours.open_at(moment)

    def wait_text(self) -> str:
        """How soon someone usually claims, in words."""
        return self.usual_wait or f"within {duration(self.claim_timeout, at_least='minute')}"

    def due(self, since: float, first: bool) -> float:
        """When a wait that began at ``since`` ends: a named agent's, or the team's."""
        return since + (self.agent_timeout if first else self.claim_timeout)

