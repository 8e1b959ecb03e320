"""The playground's fake workspace: its people and channels, and messages as the page shows them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..testing.web_api import BOT_USER_ID, Message
from ..text import unescape

APP_NAME = "Baton"
APP_ICON = ":robot_face:"  # the app's own icon, where no persona speaks


@dataclass(frozen=True)
class User:
    """A fake person who can type in the playground."""

    id: str
    name: str

    @property
    def dm(self) -> str:
        """The user's DM channel with the app, named as FakeSlack.dm names it."""
        return "D" + self.id.lstrip("U")


@dataclass(frozen=True)
class Channel:
    """A public channel the app is a member of."""

    id: str
    name: str
    topic: str


USERS = (
    User("U0ADA00001", "Ada Lovelace"),
    User("U0GRACE001", "Grace Hopper"),
    User("U0LINUS001", "Linus Torvalds"),
)
CHANNELS = (
    Channel("C0HELPDESK", "helpdesk", "Ask the helpdesk anything; mention @Baton to start"),
    Channel("C0GENERAL", "general", "Company-wide chatter"),
)
_USER_ID = re.compile(r"^U[A-Z0-9]{2,20}$")
_TOKEN = re.compile(r"<([^<>]*)>")


def user_name(user_id: str) -> str:
    """The display name of a playground user or of the app; the id for anyone else."""
    if user_id == BOT_USER_ID:
        return APP_NAME
    return next((u.name for u in USERS if u.id == user_id), user_id)


def valid_user(user_id: object) -> bool:
    """Whether ``user_id`` looks like a Slack user id (the page may invent one)."""
    return isinstance(user_id, str) and bool(_USER_ID.match(user_id))


def segments(wire: str) -> list[dict[str, str]]:
    """Slack message text split into plain text, mentions and links, for safe rendering.

    Only the page turns these into DOM nodes (as text), so nothing here is HTML.
    """
    parts: list[dict[str, str]] = []
    position = 0
    for token in _TOKEN.finditer(wire):
        if token.start() > position:
            parts.append({"kind": "text", "text": unescape(wire[position:token.start()])})
        parts.append(_token(token.group(1)))
        position = token.end()
    if position < len(wire):
        parts.append({"kind": "text", "text": unescape(wire[position:])})
    return parts


def _token(body: str) -> dict[str, str]:
    target, _, label = body.partition("|")
    if target.startswith("@"):
        return {"kind": "mention", "text": "@" + (unescape(label) or user_name(target[1:]))}
    if target.startswith("#"):  # Slack shows a channel's name
        name = next((c.name for c in CHANNELS if c.id == target[1:]), target[1:])
        return {"kind": "mention", "text": "#" + (unescape(label) or name)}
    if target.startswith("!"):
        return {"kind": "mention", "text": "@" + (unescape(label) or target[1:].split("^")[0])}
    if target.startswith(("http://", "https://", "mailto:")):
        return {"kind": "link", "text": unescape(label or target), "href": unescape(target)}
    return {"kind": "text", "text": unescape(label or target)}


@dataclass(frozen=True)
class MessageView:
    """One message as the page needs it: who, where, what, and what can be clicked."""

    channel: str
    ts: str
    thread: str  # the thread it belongs to: its root's ts (its own, for a root)
    is_reply: bool
    from_app: bool
    author: str  # a person's name, or the persona's display name
    user: str | None
    persona: str | None
    icon: str | None
    text: str
    parts: list[dict[str, str]]
    buttons: list[dict[str, str]]
    notes: list[list[dict[str, str]]]  # context lines, e.g. which button was chosen
    transfer_id: str | None
    rev: int

    @classmethod
    def of(cls, message: Message, rev: int) -> MessageView:
        payload = ((message.metadata or {}).get("event_payload") or {})
        parts = segments(message.text)
        # Context lines: which button was chosen, a team card's link and status.
        notes = [segments(element.get("text", "")) for block in message.blocks or []
                 if block.get("type") == "context" for element in block.get("elements", [])]
        if _is_card(message):  # and a team's card: the note, the thread so far, the store
            notes = [segments(block["text"]["text"]) for block in message.blocks or []
                     if block.get("type") == "section"][1:] + notes
        return cls(
            channel=message.channel, ts=message.ts, thread=message.thread_ts or message.ts,
            is_reply=message.thread_ts is not None, from_app=message.from_app,
            author=(message.username or APP_NAME) if message.from_app else
            user_name(message.user or ""),
            user=message.user, persona=payload.get("persona"), icon=message.icon,
            text="".join(p["text"] for p in parts), parts=parts,
            buttons=[{"label": b["text"]["text"], "style": b.get("style", "")}
                     for b in message.buttons],
            notes=notes, transfer_id=payload.get("transfer_id"), rev=rev,
        )

    def json(self) -> dict[str, Any]:
        return asdict(self)


def ephemeral_json(message: Message) -> dict[str, Any]:
    """A message the app showed one user only (chat.postEphemeral keeps that user in
    ``username``), as the page shows it: from the app, marked for that user."""
    shown = MessageView.of(replace(message, username=None, icon=APP_ICON), 0).json()
    return {**shown, "only_for": message.username}


def home_json(view: dict[str, Any]) -> list[dict[str, Any]]:
    """An App Home view's blocks as the page draws them: headers, sections (their text in
    parts, like a message's), context lines and dividers."""
    drawn: list[dict[str, Any]] = []
    for block in view.get("blocks") or []:
        kind = block.get("type")
        if kind == "divider":
            drawn.append({"kind": "divider"})
        elif kind == "header":
            drawn.append({"kind": "header", "text": block["text"]["text"]})
        elif kind == "section" and "text" in block:
            drawn.append({"kind": "section", "parts": segments(block["text"]["text"])})
        elif kind == "context":
            drawn.append({"kind": "context", "parts": [
                part for element in block.get("elements", [])
                for part in segments(element.get("text", ""))]})
    return drawn


def _is_card(message: Message) -> bool:
    """Whether ``message`` is a human team's handoff card (its summary says so)."""
    return message.from_app and bool(message.blocks) and " needs a person" in message.text


def workspace_json(channels: tuple[Channel, ...] = CHANNELS) -> dict[str, Any]:
    """The workspace: people, channels (with the app's human teams') and the app's name."""
    return {
        "app": {"name": APP_NAME, "user_id": BOT_USER_ID, "icon": APP_ICON},
        "users": [{"id": u.id, "name": u.name, "dm": u.dm} for u in USERS],
        "channels": [{"id": c.id, "name": c.name, "topic": c.topic} for c in channels],
    }


def team_channels(personas: Iterable[Any]) -> tuple[Channel, ...]:
    """The playground's channels and one for each human team's channel (given by id), where
    a person plays the team's agent: claims a card, answers in the thread, releases it."""
    teams = tuple(Channel(p.channel, p.name.replace("_", "-"), f"{p.display_name}: claim a "
                          "conversation here, answer in its thread, then Back to bots or "
                          "/baton release [skill or domain.intent]")
                  for p in personas if getattr(p, "channel", "").startswith(("C", "G")))
    return CHANNELS + teams
