"""The rows the storage seam hands out: frozen values, the same shape everywhere (the
engine, the CLI, the playground and ``adapter.testing``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Conversation:
    """One Slack thread, or a DM's top-level messages until they go idle."""

    id: str
    team: str
    channel: str
    thread_ts: str | None  # where replies go; None posts top-level (DM)
    kind: str  # "thread" or "dm"
    owner: str
    # The owner's open question: "persona:answer name", until the timestamp.
    expecting: str | None = None
    expecting_until: float | None = None

    def expected_answer(self, persona: str, now: float) -> str | None:
        """The answer ``persona`` waits for in this conversation, if it has not lapsed."""
        if not self.expecting:
            return None
        who, _, answer = self.expecting.partition(":")
        return answer if who == persona and (self.expecting_until or 0) > now else None


@dataclass(frozen=True)
class LedgerRow:
    """One transfer attempt: who, to whom, with what, and how it ended."""

    id: str
    conversation: str
    from_persona: str
    to_persona: str | None
    skill: str
    intent_id: str | None
    message: str | None
    status: str  # "completed" or "failed"
    reason: str | None
    kind: str  # "transfer" (asked by a dialog) or "reroute" (an off-topic follow-up)
    resolution: str | None  # how the receiver started: intent, message, welcome
    event_id: str | None
    created_at: float
    updated_at: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


LEDGER_COLUMNS = tuple(LedgerRow.__dataclass_fields__)


@dataclass(frozen=True)
class Handoff:
    """A conversation handed to a human team: its card, who is asked, and how it stands."""

    id: str  # the transfer's id
    conversation: str
    team: str  # the HumanTeam's name
    sender: str  # the persona that handed it over
    asker: str  # the Slack user who asked
    message: str | None
    note: str | None  # the sender's private note for the team
    agent: str | None  # the agent asked first, if any
    stage: str  # whom the wait is for now: "agent" or "team"
    status: str  # "waiting", "claimed", "released" or "expired"
    claimed_by: str | None
    card_channel: str | None
    card_ts: str | None  # the card (the team's; else the agent's), once posted
    due_at: float  # when the current wait ends
    created_at: float
    updated_at: float


HANDOFF_COLUMNS = tuple(Handoff.__dataclass_fields__)


@dataclass(frozen=True)
class ContextEntry:
    """One live context-store entry of a scope (for ``baton context show`` and the panel)."""

    namespace: str
    key: str
    value: Any
    expires_at: float | None


@dataclass(frozen=True)
class InboxEntry:
    """An admitted event: recorded before Slack got its ack, done once its Run finished.

    ``status`` is "pending" (admitted, or its Run has not finished), "done" or "parked"
    (it failed ``attempts`` times; ``error`` says why). ``state`` is the conversation as
    the Run found it, kept once the Run changed it, so running it again starts alike.
    """

    key: str  # its dedup key: "post:team:channel:ts" or "click:channel:message_ts:action"
    kind: str  # "message" or "click"
    sequence: str  # its conversation's order key: entries of one run one at a time
    payload: dict[str, Any]
    status: str = "pending"
    attempts: int = 0
    error: str | None = None
    state: dict[str, Any] | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    ordinal: float | None = None  # its place in the conversation: Slack's ts


INBOX_COLUMNS = tuple(InboxEntry.__dataclass_fields__)


@dataclass(frozen=True)
class Claimed:
    """An entry leased to this instance, and whether it had been leased before (an
    earlier attempt may have posted some of its replies)."""

    entry: InboxEntry
    leased_before: bool
