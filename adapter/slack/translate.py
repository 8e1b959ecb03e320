"""Pure translators between Slack's payloads and Baton's frozen values: no SDK types leak."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from ..buttons import Button
from ..cards import TeamCard
from ..home import HomeView
from ..message import IncomingClick, IncomingCommand, IncomingMessage, IncomingThread
from ..text import escape, plain_text

log = logging.getLogger("baton.slack")
# Subtypes that are still a person talking; edits, deletions, joins and bots are not.
_USER_SUBTYPES = {None, "file_share", "thread_broadcast"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")


def _ts(value: Any) -> str | None:
    """A Slack timestamp ("1700000000.000100"), or None for anything else."""
    return value if isinstance(value, str) and _TS.match(value) else None


def to_message(body: Any, bot_user_id: str | None) -> IncomingMessage | None:
    """The user message in an Events API body, or None when Baton should not answer it
    (not a person talking to it, or a malformed event: logged, and acked so that Slack
    does not send it again)."""
    event = body.get("event") if isinstance(body, dict) else None
    if not isinstance(event, dict):
        return None
    kind = event.get("type")
    if kind not in ("app_mention", "message") or event.get("subtype") not in _USER_SUBTYPES:
        return None
    user = event.get("user")
    if not user or user == bot_user_id or event.get("bot_id") or event.get("bot_profile"):
        return None
    channel, ts, raw_text = _text(event.get("channel")), _ts(event.get("ts")), \
        event.get("text") if event.get("text") is not None else ""
    thread_ts = event.get("thread_ts")
    if not (isinstance(user, str) and channel and ts and isinstance(raw_text, str)
            and (thread_ts is None or _ts(thread_ts))):
        log.warning("dropped a malformed %s event %s: user, channel, ts, text or thread_ts "
                    "is missing or not a string", kind, body.get("event_id"))
        return None
    is_dm = event.get("channel_type") == "im" or (kind == "app_mention" and channel[:1] == "D")
    mentioned = kind == "app_mention" or (bool(bot_user_id) and f"<@{bot_user_id}" in raw_text)
    if thread_ts == ts:
        thread_ts = None
    if not is_dm and not mentioned and thread_ts is None:
        return None  # channel chatter that is not for us
    return IncomingMessage(
        event_id=_text(body.get("event_id")) or f"{channel}:{ts}",
        team=_text(body.get("team_id")) or _text(event.get("team")) or "",
        channel=channel,
        user=user,
        text=plain_text(raw_text, bot_user_id),
        ts=ts,
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
                   "action_id": f"baton:{button.persona or persona}:{button.action}:{index}",
                   "value": button.value}
        if button.style:
            element["style"] = button.style
        elements.append(element)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "baton_buttons", "elements": elements}]


def message_blocks(text: str, persona: str, buttons: Sequence[Button],
                   receipt: str | None = None) -> list[dict]:
    """A reply's blocks: its text, a receipt line (whom a transfer came from), its buttons."""
    blocks = [_section(text)]
    if receipt:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": escape(receipt)}]})
    if buttons:
        blocks.append(button_blocks(text, persona, buttons)[1])
    return blocks


def card_blocks(card: TeamCard, team: str) -> list[dict]:
    """A human team's handoff card as Block Kit; ``team`` (its persona name) answers the
    buttons. Everything a user or a persona wrote is escaped."""
    asked = f"\n>{escape(card.message)}" if card.message else ""
    blocks: list[dict] = [_section(f"*{escape(card.team)}*: <@{card.asker}> needs a person "
                                   f"(handed over by {escape(card.sender)}){asked}")]
    if card.note:
        blocks.append(_section(f"*Note from {escape(card.sender)}* (the user does not see "
                               f"it):\n{escape(card.note)}"))
    if card.recent:
        blocks.append(_section("*The thread so far*\n" + "\n".join(
            f"*{who if who.startswith('<@') else escape(who)}*: {escape(text)}"
            for who, text in card.recent)))
    if card.stored:
        blocks.append(_section("*Stored for this conversation*\n" + "\n".join(
            f"`{escape(key)}` = {escape(value)}" for key, value in card.stored)))
    where = f"<{card.link}|Open the thread> · " if card.link else ""
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{where}{card.status}"}]})  # Baton's own words
    if card.buttons:
        blocks.append(button_blocks("", team, card.buttons)[1])
    return blocks


def home_blocks(view: HomeView) -> list[dict]:
    """The App Home: who helps with what, then the user's recent conversations."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text",
                                                      "text": "Who can help"}}]
    for desk in view.desks:
        tried = " · ".join(f"“{escape(p)}”" for p in desk.try_saying)
        who = "a person" if desk.people else "a bot"
        about = f": {escape(desk.about)}" if desk.about else ""
        blocks.append(_section(f"*{escape(desk.display_name)}* ({who}){about}"
                               + (f"\nTry: {tried}" if tried else "")))
    blocks += [{"type": "divider"}, {"type": "header", "text": {
        "type": "plain_text", "text": "Your recent conversations"}}]
    if not view.recent:
        blocks.append(_section("None in the last day: mention the app in a channel, or send "
                               "it a direct message, to start one."))
    for recent in view.recent:
        # A link's label cannot hold a channel mention, so they stand side by side.
        where = f"<{recent.link}|a thread> in <#{recent.conversation.channel}>" \
            if recent.link else f"<#{recent.conversation.channel}>"
        blocks.append(_section(f"{where}: {recent.owner} answers it"))
    return blocks


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def to_click(body: Any) -> IncomingClick | None:
    """The click in a block_actions payload, or None when it is not one of ours (or is
    malformed: a click with no user, say)."""
    if not isinstance(body, dict):
        return None
    actions = body.get("actions") or []
    container = body.get("container") or {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict) \
            or not isinstance(container, dict) or container.get("type") != "message":
        return None
    action = actions[0]
    parts = str(action.get("action_id", "")).split(":")
    channel, message_ts = _text(container.get("channel_id")), _ts(container.get("message_ts"))
    if len(parts) != 4 or not _text(user.get("id")) or not channel or not message_ts:
        if len(parts) == 4:
            log.warning("dropped a malformed click: user, channel or message ts missing")
        return None
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    thread_ts = _ts(container.get("thread_ts")) or _ts(message.get("thread_ts"))
    label = (action.get("text") or {}).get("text", "") if isinstance(action.get("text"),
                                                                      dict) else ""
    return IncomingClick(
        click_id=f"click:{channel}:{action.get('action_ts', '')}",
        team=_text((body.get("team") or {}).get("id")) or _text(user.get("team_id")) or "",
        channel=channel,
        user=user["id"],
        persona=parts[1],
        action=parts[2],
        label=_text(label) or "",
        value=_text(action.get("value")) or "",
        message_ts=message_ts,
        thread_ts=thread_ts if thread_ts != message_ts else None,
        is_dm=channel.startswith("D"),
    )


def to_thread_start(body: Any) -> IncomingThread | None:
    """An ``assistant_thread_started`` event as a frozen value, or None when malformed."""
    event = body.get("event") if isinstance(body, dict) else None
    thread = event.get("assistant_thread") if isinstance(event, dict) else None
    if not isinstance(thread, dict):
        return None
    user, channel = _text(thread.get("user_id")), _text(thread.get("channel_id"))
    thread_ts = _ts(thread.get("thread_ts"))
    if not (user and channel and thread_ts):
        log.warning("dropped a malformed assistant_thread_started event %s",
                    body.get("event_id"))
        return None
    return IncomingThread(_text(body.get("event_id")) or f"{channel}:{thread_ts}",
                          _text(body.get("team_id")) or "", channel, user, thread_ts)


def to_command(body: Any) -> IncomingCommand | None:
    """A slash command's form payload as a frozen value, or None when it is malformed."""
    if not isinstance(body, dict):
        return None
    found = {name: _text(body.get(name)) for name in ("trigger_id", "team_id", "channel_id",
                                                       "user_id", "command")}
    if not all(found.values()):
        log.warning("dropped a malformed slash command: %s missing",
                    [name for name, value in found.items() if not value])
        return None
    return IncomingCommand(f"command:{found['trigger_id']}", found["team_id"] or "",
                           found["channel_id"] or "", found["user_id"] or "",
                           found["command"] or "", plain_text(_text(body.get("text")) or ""))


def retired_blocks(message: dict[str, Any], label: str, user: str) -> list[dict[str, Any]]:
    """A clicked message's blocks with its buttons replaced by the choice, so the question
    reads as answered."""
    blocks = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{escape(label)} (chosen by <@{user}>)"}]})
    return blocks
