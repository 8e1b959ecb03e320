"""The Slack app manifest: the scopes and events Baton uses, rendered from the tables below.

``baton manifest`` prints it (Socket Mode), ``baton manifest --http URL`` the HTTP-mode
variant; the repository's manifest.yaml is this output, checked by a test, so an
installed Baton needs no file beside it.
"""

from __future__ import annotations

from typing import Any

import yaml

# Every Web API method Baton calls, and the bot scope Slack requires for it.
METHOD_SCOPES: dict[str, str | None] = {
    "apps.connections.open": None,  # app-level token with connections:write, not a bot scope
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",  # "this button no longer works", to its clicker only
    "chat.update": "chat:write",
    # Looking a reply up by its id when a post's outcome is unknown; in private channels,
    # DMs and group DMs the same call uses groups:, im: and mpim:history (all granted).
    "conversations.replies": "channels:history",
    "conversations.history": "channels:history",
    "users.info": "users:read",  # an agent who claims a conversation joins under their name
    "views.publish": None,  # the App Home tab: a bot token needs no scope for it
    # Agent threads: a persona's status line, suggested prompts, a title; streamed replies.
    "assistant.threads.setStatus": "assistant:write",
    "assistant.threads.setSuggestedPrompts": "assistant:write",
    "assistant.threads.setTitle": "assistant:write",
    "chat.startStream": "chat:write",
    "chat.appendStream": "chat:write",
    "chat.stopStream": "chat:write",
    # Outside agent threads, an hourglass on the user's message while a persona works.
    "reactions.add": "reactions:write",
    "reactions.remove": "reactions:write",
}
# Every event Baton subscribes to, and the scope Slack requires to deliver it.
EVENT_SCOPES: dict[str, str | None] = {
    "app_mention": "app_mentions:read",
    "app_home_opened": None,  # the App Home tab (features.app_home)
    "assistant_thread_started": "assistant:write",  # a new agent thread: greeted
    "assistant_thread_context_changed": "assistant:write",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
}
# Posting under each persona's name and icon needs one more.
CUSTOMIZE = "chat:write.customize"
COMMANDS = "commands"  # /baton who, restart, help, and release (an agent hands one back)
REQUIRED_SCOPES = frozenset(
    {s for s in (*METHOD_SCOPES.values(), *EVENT_SCOPES.values()) if s} | {CUSTOMIZE,
                                                                           COMMANDS})
# The bot scopes as the manifest lists them, each with why Baton asks for it.
WHY: dict[str, str] = {
    "app_mentions:read": "app_mention events start threads",
    "channels:history": "public-channel threads; looking a reply up by its id",
    "groups:history": "private-channel threads; looking a reply up by its id",
    "im:history": "direct messages; looking a reply up by its id",
    "mpim:history": "group direct messages; looking a reply up by its id",
    "chat:write": "chat.postMessage, chat.postEphemeral, chat.update",
    CUSTOMIZE: "post as each persona: username and icon",
    "users:read": "an agent joins a thread under their own name",
    COMMANDS: "/baton who, restart, help; release (an agent hands back)",
    "assistant:write": "agent threads: status line, suggested prompts, title",
    "reactions:write": "an hourglass while a persona works, outside agent threads",
}

TEMPLATE = """\
# Slack app manifest for Baton in {mode} (`baton manifest{flag}` prints it).
# Create the app at api.slack.com/apps -> "From an app manifest", paste this file.
display_information:
  name: Baton
  description: Several specialized helpers in one Slack app, with warm handoffs.
  background_color: "#2c2d30"
features:
  assistant_view:
    assistant_description: Several helpers in one app; the right one answers, by name.
  app_home:
    home_tab_enabled: true     # who helps with what, and your recent conversations
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: Baton
    always_online: true
  slash_commands:
    - command: /baton
      description: Who answers this conversation; start again; hand a claimed one back
      usage_hint: who | restart | help | release [skill or domain.intent] [message]
{command_url}      should_escape: false
oauth_config:
  scopes:
    bot:
{scopes}
settings:
  event_subscriptions:
{request_url}    bot_events:
{events}
  interactivity:
    is_enabled: true           # the router's clarifying buttons (block_actions)
{request_url}  org_deploy_enabled: false
  socket_mode_enabled: {socket_mode}
  token_rotation_enabled: false
"""


def render(http_url: str | None = None) -> str:
    """The manifest for Socket Mode, or for HTTP mode with events and clicks sent to
    ``http_url`` (an https:// URL; /slack/events is added unless it is there)."""
    endpoint = ""
    if http_url is not None:
        if not http_url.startswith("https://"):
            raise ValueError(f"request URL {http_url!r}: Slack only delivers to https:// URLs.")
        endpoint = http_url.rstrip("/")
        if not endpoint.endswith("/slack/events"):
            endpoint += "/slack/events"
    return TEMPLATE.format(
        mode="HTTP mode" if endpoint else "Socket Mode",
        flag=" --http URL" if endpoint else "",
        scopes="\n".join(f"      - {scope:<22} # {why}" for scope, why in WHY.items()),
        events="\n".join(f"      - {event}" for event in EVENT_SCOPES),
        request_url=f"    request_url: {endpoint}\n" if endpoint else "",
        command_url=f"      url: {endpoint}\n" if endpoint else "",
        socket_mode="false" if endpoint else "true",
    )


def load(http_url: str | None = None) -> dict[str, Any]:
    """The manifest as data."""
    return yaml.safe_load(render(http_url))


# Needed only by an app with a human team (HumanTeam): its agents join and release. (An
# app without one answers /baton who and restart only once it is granted ``commands``.)
HUMAN_TEAM_SCOPES = frozenset({"users:read", COMMANDS})


# Without these Baton still answers; only the status line and agent threads' extras
# (prompts, titles) are missing, so a token without them is warned about, not refused.
OPTIONAL_SCOPES = frozenset({"assistant:write", "reactions:write"})


def missing_scopes(granted: str, *, human_teams: bool = True) -> list[str]:
    """The scopes Baton needs that the ``x-oauth-scopes`` header does not list (those of
    human teams only when the app has one; never the optional ones)."""
    have = {scope.strip() for scope in granted.split(",") if scope.strip()}
    needed = REQUIRED_SCOPES - OPTIONAL_SCOPES
    if not human_teams:
        needed -= HUMAN_TEAM_SCOPES
    return sorted(needed - have)


def missing_optional(granted: str) -> list[str]:
    """The optional scopes the token lacks (a status line, agent threads' extras)."""
    have = {scope.strip() for scope in granted.split(",") if scope.strip()}
    return sorted(OPTIONAL_SCOPES - have)
