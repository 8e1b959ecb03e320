"""Pure translators between Slack's payloads and Baton's frozen values: no SDK types leak."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..buttons import Button
from ..message import IncomingClick, IncomingMessage
from ..text import escape, plain_text

# Subtypes that are still a person talking; edits, deletions, joins and bots are not.
_USER_SUBTYPES = {None, "file_share", "thread_broadcast"}


def to_message(body: dict[str, Any], bot_user_id: str | None) -> IncomingMessage | None:
    """The user message in an Events API body, or None when Baton should not answer it."""
    event = body.get("event") or {}
    kind = event.get("type")
    if kind not in ("app_mention", "message") or event.get("subtype") not in _USER_SUBTYPES:
        return None
    user = event.get("user")
    if not user or user == bot_user_id or event.get("bot_id") or event.get("bot_profile"):
        return None
    channel = event.get("channel", "")
    is_dm = event.get("channel_type") == "im" or (kind == "app_mention" and channel[:1] == "D")
    raw_text = event.get("text") or ""
    mentioned = kind == "app_mention" or (bool(bot_user_id) and f"<@{bot_user_id}" in raw_text)
    thread_ts = event.get("thread_ts")
    if thread_ts == event.get("ts"):
        thread_ts = None
    if not is_dm and not mentioned and thread_ts is None:
        return None  # channel chatter that is not for us
    return IncomingMessage(
        event_id=body.get("event_id") or f"{channel}:{event.get('ts')}",
        team=body.get("team_id") or event.get("team") or "",
        channel=channel,
        user=user,
        text=plain_text(raw_text, bot_user_id),
        ts=event["ts"],
        thread_ts=thread_ts,
        is_dm=is_dm,
        mentioned=mentioned,
    )


def button_blocks(text: str, persona: str, buttons: Sequence[Button]) -> list[dict]:
    """A section with the (escaped) text and an actions block with the buttons."""
    elements = []
    for index, button in enumerate(buttons):
        element = {"type": "button", "text": {"type": "plain_text", "text": button.label},
                   # action ids are unique in a message; the index keeps them so.
                   "action_id": f"baton:{persona}:{button.action}:{index}",
                   "value": button.value}
        if button.style:
            element["style"] = button.style
        elements.append(element)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "baton_buttons", "elements": elements}]


def to_click(body: dict[str, Any]) -> IncomingClick | None:
    """The click in a block_actions payload, or None when it is not one of ours."""
    actions = body.get("actions") or []
    container = body.get("container") or {}
    if not actions or container.get("type") != "message":
        return None
    action = actions[0]
    parts = action.get("action_id", "").split(":")
    if len(parts) != 4:
        return None
    channel = container.get("channel_id", "")
    message = body.get("message") or {}
    thread_ts = container.get("thread_ts") or message.get("thread_ts")
    return IncomingClick(
        click_id=f"click:{channel}:{action.get('action_ts', '')}",
        team=(body.get("team") or {}).get("id") or body["user"].get("team_id", ""),
        channel=channel,
        user=body["user"]["id"],
        persona=parts[1],
        action=parts[2],
        label=(action.get("text") or {}).get("text", ""),
        value=action.get("value", ""),
        message_ts=container.get("message_ts", ""),
        thread_ts=thread_ts if thread_ts != container.get("message_ts") else None,
        is_dm=channel.startswith("D"),
    )


def retired_blocks(message: dict[str, Any], label: str, user: str) -> list[dict[str, Any]]:
    """A clicked message's blocks with its buttons replaced by the choice, so the question
    reads as answered."""
    blocks = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{escape(label)} (chosen by <@{user}>)"}]})
    return blocks
