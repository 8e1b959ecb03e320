"""The fake workspace's ids, and its messages, calls and clock as values (shared by
FakeSlack's Web API, its payloads and the playground)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0BATON01"
BOT_USER_ID = "U0BATONBOT"
BOT_ID = "B0BATONBOT"
APP_ID = "A0BATONAPP"
TOKEN = "xoxb-baton-fake-token"
APP_TOKEN = "xapp-baton-fake-token"
# What the shipped manifest grants; auth.test reports it in x-oauth-scopes, like Slack.
SCOPES = (
    "app_mentions:read,assistant:write,channels:history,chat:write,chat:write.customize,"
    "commands,groups:history,im:history,mpim:history,reactions:write,users:read"
)


@dataclass(frozen=True)
class SlackError:
    """An ok=false answer Slack gives to a well-formed call (msg_too_long, say)."""

    error: str


TEXT_LIMIT = 40_000  # characters of text Slack takes in one message


@dataclass(frozen=True)
class ApiCall:
    """One Web API call the app made."""

    method: str
    args: dict[str, Any]


@dataclass
class Message:
    """A message in the fake workspace, from a user or from the app."""

    channel: str
    ts: str
    text: str
    user: str | None = None
    thread_ts: str | None = None
    username: str | None = None
    icon: str | None = None
    metadata: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] | None = None
    reactions: list[str] = field(default_factory=list)  # the app's, by emoji name
    grew: list[str] = field(default_factory=list)  # a streamed message's text, step by step

    @property
    def from_app(self) -> bool:
        return self.user is None

    def json(self, metadata: bool = False) -> dict[str, Any]:
        """The message as conversations.replies / .history return it."""
        found: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text}
        found.update({"user": self.user} if self.user else {"bot_id": BOT_ID,
                                                             "username": self.username})
        if self.thread_ts:
            found["thread_ts"] = self.thread_ts
        if metadata and self.metadata:
            found["metadata"] = self.metadata
        return found

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The buttons under this message, as Block Kit elements (label in ["text"]["text"])."""
        return [element for block in self.blocks or [] if block.get("type") == "actions"
                for element in block.get("elements", []) if element.get("type") == "button"]


class Clock:
    """Slack timestamps: real time plus an offset that tests can move forward."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._last = 0  # microseconds: a float a microsecond apart can print the same

    def advance(self, seconds: float) -> None:
        """Move Slack's clock forward, e.g. past a DM conversation's idle timeout."""
        self.offset += seconds

    def ts(self) -> str:
        """A new timestamp, later than every one before (as Slack's are, per channel)."""
        now = max(int((time.time() + self.offset) * 1_000_000), self._last + 1)
        self._last = now
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"


def flag(args: dict[str, Any], name: str) -> bool:
    return str(args.get(name, "")).lower() in ("1", "true")


def json_arg(value: Any) -> Any:
    """slack_sdk sends some arguments as JSON strings in form posts."""
    return json.loads(value) if isinstance(value, str) else value


def check_blocks(blocks: Any) -> str | None:
    """What real Slack would refuse in a blocks list (the checks Baton's blocks can trip)."""
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "blocks must be a list of at most 50 blocks (invalid_blocks)."
    action_ids: set[str] = set()
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            label = (element.get("text") or {}).get("text", "")
            if not label or len(label) > 75:
                return f"button text {label!r} must have 1-75 characters (invalid_blocks)."
            if element.get("action_id") in action_ids:
                return f"duplicate action_id {element.get('action_id')!r} (invalid_blocks)."
            action_ids.add(element.get("action_id"))
    return None
