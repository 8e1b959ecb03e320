"""The Run: one user message or click and everything its handling decides, as data.

The engine opens a Run, and every dialog call, transfer and reply of that message is
recorded on it: which personas owned the conversation in turn, how the text was
classified (once), which failed transfers are still unanswered, and the replies posted
with their ids. A Turn is a frozen view of one dialog call over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .handoff import TransferResult
from .intents import IntentMatch
from .message import IncomingClick, IncomingMessage
from .storage import Conversation


@dataclass
class DialogCall:
    """One dialog function's call within a Run: whose it is, and the failed transfers it
    has not said anything about since (the engine answers those for it)."""

    persona: str
    transfer_id: str | None = None  # the transfer that started it, for its replies' metadata
    unanswered: list[TransferResult] = field(default_factory=list)


@dataclass(frozen=True)
class PostedReply:
    """A reply the Run posted: its id (also in the message's metadata) and who said what."""

    id: str
    persona: str
    text: str
    transfer_id: str | None = None


@dataclass
class Run:
    """The handling of one user message (or click)."""

    message: IncomingMessage
    conversation: Conversation
    click: IncomingClick | None = None
    stored: bool = True  # False: a new conversation, stored when the Run ends
    chain: list[str] = field(default_factory=list)  # owners during this message, in order
    rankings: dict[str, list[IntentMatch]] = field(default_factory=dict)  # text -> intents
    calls: list[DialogCall] = field(default_factory=list)
    replies: list[PostedReply] = field(default_factory=list)

    def next_reply_id(self) -> str:
        """A stable id for the Run's next reply: the same when the message is run again."""
        return f"{self.message.event_id}:{len(self.replies) + 1}"
