"""IncomingMessage: one user message, as the engine sees it (no Slack types)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IncomingMessage:
    """A user's message, already filtered and deduplicated by the Slack layer."""

    event_id: str
    team: str
    channel: str
    user: str
    text: str  # plain text, our own mention removed
    ts: str
    thread_ts: str | None  # the thread's root ts when the message is a thread reply
    is_dm: bool
    mentioned: bool  # the message mentions the app

    @property
    def sequence_key(self) -> str:
        """Messages with the same key belong to one conversation and run one at a time."""
        if self.is_dm and self.thread_ts is None:
            return f"{self.team}:{self.channel}"
        return f"{self.team}:{self.channel}:{self.thread_ts or self.ts}"
