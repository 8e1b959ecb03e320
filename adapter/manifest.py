"""The Slack app manifest: the scopes and events Baton uses, and the HTTP-mode variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yaml"

# Every Web API method Baton calls, and the bot scope Slack requires for it.
METHOD_SCOPES: dict[str, str | None] = {
    "apps.connections.open": None,  # app-level token with connections:write, not a bot scope
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
}
# Every event Baton subscribes to, and the scope Slack requires to deliver it.
EVENT_SCOPES: dict[str, str] = {
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
}
# Posting under each persona's name and icon needs one more.
CUSTOMIZE = "chat:write.customize"
REQUIRED_SCOPES = frozenset(
    {s for s in METHOD_SCOPES.values() if s} | set(EVENT_SCOPES.values()) | {CUSTOMIZE})


def load(path: Path = MANIFEST) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def missing_scopes(granted: str) -> list[str]:
    """The scopes Baton needs that the ``x-oauth-scopes`` header does not list."""
    have = {scope.strip() for scope in granted.split(",") if scope.strip()}
    return sorted(REQUIRED_SCOPES - have)


def http_variant(url: str, path: Path = MANIFEST) -> str:
    """The manifest for HTTP mode: events and clicks go to ``url``/slack/events."""
    if not url.startswith("https://"):
        raise ValueError(f"request URL {url!r}: Slack only delivers to https:// URLs.")
    manifest = load(path)
    endpoint = url.rstrip("/") + ("" if url.rstrip("/").endswith("/slack/events")
                                  else "/slack/events")
    settings = manifest["settings"]
    settings["socket_mode_enabled"] = False
    settings["event_subscriptions"]["request_url"] = endpoint
    settings["interactivity"]["request_url"] = endpoint
    header = "# Slack app manifest for Baton in HTTP mode (`baton manifest --http URL`).\n"
    return header + yaml.safe_dump(manifest, sort_keys=False)
