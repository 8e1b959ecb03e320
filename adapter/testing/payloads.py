"""The bodies Slack sends an app: Events API callbacks and block_actions payloads."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from .web_api import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, Message


def event_callback(event: dict[str, Any], event_id: str) -> str:
    """An Events API body around one event, as JSON."""
    return json.dumps({
        "token": "unused", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    })


def user_events(message: Message, *, is_dm: bool, mention: bool) -> list[dict[str, Any]]:
    """What a person's post sends the app: a message event, and when it mentions the app
    in a channel, an app_mention twin first (both arrive, with different event ids)."""
    event = {"type": "message", "channel": message.channel, "user": message.user,
             "text": message.text, "ts": message.ts, "event_ts": message.ts, "team": TEAM_ID,
             "channel_type": "im" if is_dm else "channel"}
    if message.thread_ts:
        event["thread_ts"] = message.thread_ts
    if not mention:
        return [event]
    twin = {k: v for k, v in event.items() if k != "channel_type"}
    return [{**twin, "type": "app_mention"}, event]


def echo_event(message: Message) -> dict[str, Any]:
    """The message event Slack sends the app about one of the app's own posts."""
    event = {"type": "message", "subtype": "bot_message", "channel": message.channel,
             "text": message.text, "ts": message.ts, "event_ts": message.ts,
             "bot_id": BOT_ID, "username": message.username, "team": TEAM_ID,
             "channel_type": "im" if message.channel.startswith("D") else "channel"}
    if message.thread_ts:
        event["thread_ts"] = message.thread_ts
    return event


def block_actions(message: Message, button: dict[str, Any], user: str, action_ts: str) -> str:
    """A click on ``button`` under ``message``, form-encoded as Slack posts it."""
    container = {"type": "message", "message_ts": message.ts, "channel_id": message.channel,
                 "is_ephemeral": False}
    if message.thread_ts:
        container["thread_ts"] = message.thread_ts
    payload = {
        "type": "block_actions", "user": {"id": user, "team_id": TEAM_ID},
        "team": {"id": TEAM_ID}, "api_app_id": APP_ID, "token": "unused",
        "container": container, "channel": {"id": message.channel},
        "trigger_id": f"trigger.{action_ts}",
        "message": {"type": "message", "ts": message.ts, "thread_ts": message.thread_ts,
                    "text": message.text, "blocks": message.blocks, "bot_id": BOT_ID},
        "actions": [{**button, "block_id": "baton_buttons", "action_ts": action_ts}],
    }
    return urlencode({"payload": json.dumps(payload)})


def slash_command(command: str, text: str, user: str, channel: str, trigger_id: str) -> str:
    """A slash command, form-encoded as Slack posts it to the app."""
    return urlencode({"token": "unused", "team_id": TEAM_ID, "team_domain": "baton-fake",
                      "channel_id": channel, "channel_name": channel.lower(), "user_id": user,
                      "user_name": user.lower(), "command": command, "text": text,
                      "api_app_id": APP_ID, "is_enterprise_install": "false",
                      "response_url": "https://hooks.slack.example/commands/unused",
                      "trigger_id": trigger_id})
