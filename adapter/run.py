"""The Run: one user message or click and everything its handling decides, as data.

The engine opens a Run for an inbox entry, and every dialog call, transfer and reply of
that message is recorded on it: which personas owned the conversation in turn, how the
text was classified (once), which failed transfers are still unanswered, and the replies
posted with their stable ids. Run again for the same entry (after a crash or a failed
delivery), it makes the same ids, so nothing it already delivered is posted twice.
A Turn is a frozen view of one dialog call over it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .buttons import Button
from .deadlines import Deadline
from .handoff import TransferResult
from .intents import IntentMatch, SkillMatch
from .message import IncomingClick, IncomingMessage
from .storage import Claimed, Conversation

T = TypeVar("T")


@dataclass
class DialogCall:
    """One dialog function's call within a Run: whose it is, and the failed transfers it
    has not said anything about since (the engine answers those for it)."""

    persona: str
    transfer_id: str | None = None  # the transfer that started it, for its replies' metadata
    unanswered: list[TransferResult] = field(default_factory=list)
    # Its time limit while it runs; held still while a reply is being delivered.
    deadline: Deadline | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Outcome:
    """How an inbox entry's Run ended: done, or waiting for its thread's first message;
    on shared storage, the conversation's next entry if finishing claimed it for us."""

    waiting: bool = False
    following: Claimed | None = None


@dataclass(frozen=True)
class PostedReply:
    """A reply the Run posted: its id (also in the message's metadata) and who said what."""

    id: str
    persona: str
    text: str
    transfer_id: str | None = None
    ts: str | None = None  # Slack's, when this Run posted it (not an earlier attempt)


@dataclass
class Run:
    """The handling of one inbox entry: a user message, or a click."""

    message: IncomingMessage
    conversation: Conversation
    key: str = ""  # the inbox entry's key: the stable ids below derive from it
    click: IncomingClick | None = None
    replay: bool = False  # run again: delivered replies are skipped, unknown ones looked up
    stored: bool = True  # False: a new conversation, stored when the Run ends
    chain: list[str] = field(default_factory=list)  # owners during this message, in order
    rankings: dict[str, list[IntentMatch]] = field(default_factory=dict)  # text -> intents
    skill_rankings: dict[str, list[SkillMatch]] = field(default_factory=dict)  # text -> skills
    way_back: Button | None = None  # for the next reply not by its persona (a transfer's)
    receipt: tuple[str, str] | None = None  # (sender, "from Helpdesk · hr.payday") likewise
    status: Any = field(default=None, repr=False)  # its StatusLine, once something showed one
    sending: int = 0  # replies on their way to Slack: Slack's time is not the persona's work
    calls: list[DialogCall] = field(default_factory=list)
    active: list[DialogCall] = field(default_factory=list)  # the dialogs running, outermost first
    replies: list[PostedReply] = field(default_factory=list)
    transfers_made: int = 0
    origin_kept: bool = False

    def __post_init__(self) -> None:
        self.origin = self.conversation  # as the Run found it

    @staticmethod
    def classified(cache: dict[str, list[T]], text: str, rank: Callable[[], list[T]]) -> list[T]:
        """``rank()`` for ``text``, once per Run: the cache keeps it."""
        found = cache.get(text)
        if found is None:
            found = cache[text] = rank()
        return found

    def next_reply_id(self) -> str:
        """A stable id for the Run's next reply: the same when the entry is run again."""
        return f"{self.key}:{len(self.replies) + 1}"

    def next_transfer_id(self) -> str:
        """A stable id for the Run's next transfer attempt, likewise."""
        self.transfers_made += 1
        digest = hashlib.sha1(f"{self.key}:{self.transfers_made}".encode()).hexdigest()
        return "tr_" + digest[:20]

    def origin_once(self) -> tuple[str, Conversation] | None:
        """(key, the conversation as the Run found it) the first time the Run changes the
        conversation, for the inbox to keep; None after that."""
        if self.origin_kept:
            return None
        self.origin_kept = True
        return self.key, self.origin

    def posted(self) -> list[tuple[str, str, str | None]]:
        """(reply id, conversation, ts) of every reply this Run posted itself."""
        return [(r.id, self.conversation.id, r.ts) for r in self.replies if r.ts is not None]
