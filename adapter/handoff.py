"""What a transfer asks for, carries and returns, as frozen values (the Bot Transfer Context)."""

from __future__ import annotations

from dataclasses import dataclass

from .intents import IntentMatch

DEFAULT_MAX_TRANSFERS = 3
WAY_BACK = "way_back"  # the sender's @button action that a click on a way back runs


@dataclass(frozen=True)
class TransferRequest:
    """``turn.transfer(skill, ...)`` as data."""

    skill: str
    intent: str | None = None  # "domain.intent", resolved to its ID at transfer time
    intent_id: str | None = None
    message: str | None = None
    notice: str | None = None  # posted by the sender before the receiver answers
    kind: str = "transfer"  # "reroute": the engine hands on an off-topic follow-up
    way_back: str | None = None  # a button label for the receiver's first answer
    note: str | None = None  # for a human team's card only; the user never sees it
    agent: str | None = None  # a human team: this Slack user is asked first
    by: str | None = None  # who hands it over, when not the sending persona ("human:U…")


@dataclass(frozen=True)
class TransferContext:
    """What a transfer carries to the receiver: an intent and/or the user's message."""

    transfer_id: str
    from_persona: str
    skill: str
    intent_id: str | None = None
    intent: IntentMatch | None = None  # None when the intent ID is not one of ours
    message: str | None = None
    note: str | None = None  # the sender's private note (for a human team's card)
    agent: str | None = None  # the agent asked first, for a human team


@dataclass(frozen=True)
class TransferResult:
    """What ``turn.transfer`` returns; ``reason`` says why when ``ok`` is False."""

    ok: bool
    transfer_id: str
    skill: str
    to_persona: str | None = None
    reason: str | None = None
