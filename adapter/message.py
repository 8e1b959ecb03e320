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
    def key(self) -> str:
        """Its inbox key: one per post, so a retry and the app_mention/message twin of one
        post are the same entry."""
        return f"post:{self.team}:{self.channel}:{self.ts}"

    @property
    def sequence_key(self) -> str:
        """Messages with the same key belong to one conversation and run one at a time."""
        if self.is_dm and self.thread_ts is None:
            return f"{self.team}:{self.channel}"
        return f"{self.team}:{self.channel}:{self.thread_ts or self.ts}"


@dataclass(frozen=True)
class IncomingClick:
    """A click on one of a persona's buttons."""

    click_id: str
    team: str
    channel: str
    user: str
    persona: str  # who posted the buttons
    action: str  # the persona's @button(action) dialog
    label: str
    value: str
    message_ts: str  # the message with the buttons
    thread_ts: str | None  # its thread; None for a DM's top-level message
    is_dm: bool

    @property
    def key(self) -> str:
        """Its inbox key: one per question (a message's buttons of one action), so only the
        first click counts; a team's card asks two in turn (Claim, then Back to bots)."""
        return f"click:{self.channel}:{self.message_ts}:{self.action}"

    def as_message(self) -> IncomingMessage:
        """The click as a turn of the conversation: the user "said" the button's label."""
        return IncomingMessage(self.click_id, self.team, self.channel, self.user, self.label,
                               self.message_ts, self.thread_ts, self.is_dm, False)


@dataclass(frozen=True)
class IncomingCommand:
    """A slash command (``/baton release hr.payday``), typed by an agent in a channel."""

    command_id: str  # "command:" and Slack's trigger_id: one per command typed
    team: str
    channel: str
    user: str
    command: str  # "/baton"
    text: str  # what follows the command

    @property
    def key(self) -> str:
        """Its inbox key: a command is run once, however often Slack delivers it."""
        return self.command_id

    @property
    def sequence_key(self) -> str:
        """An agent's commands in a channel run one at a time, in order."""
        return f"command:{self.team}:{self.channel}:{self.user}"


@dataclass(frozen=True)
class IncomingThread:
    """A new agent (assistant) thread the user opened in the app's DM."""

    event_id: str
    team: str
    channel: str
    user: str
    thread_ts: str

    @property
    def key(self) -> str:
        """Its inbox key: a thread is greeted once."""
        return f"thread:{self.team}:{self.channel}:{self.thread_ts}"

    @property
    def sequence_key(self) -> str:
        """The thread's own messages run in order after it (as IncomingMessage's)."""
        return f"{self.team}:{self.channel}:{self.thread_ts}"
