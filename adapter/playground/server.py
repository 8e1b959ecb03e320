"""The playground's web server: the page, its JSON API, and the FakeSlack it talks to."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from ..testing import Conversation, FakeSlack, FakeSlackError, Message
from .app_view import PlaygroundApp
from .emoji import shortcodes_json
from .live import Handler, Hub
from .panel import panel_json, personas_json
from .workspace import USERS, home_json, team_channels, valid_user, workspace_json

STATIC = Path(__file__).parent / "static"
COMMAND = "/baton"  # typed in the composer, it is sent as Slack sends a slash command
MAX_TEXT = 4000  # characters; Slack's own limit is higher, but a playground needs no novels
# The page is the only client: no inline code, nothing from other origins (persona
# icons given as image URLs are the one exception, as in Slack).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: https: http:; "
                               "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class ApiError(Exception):
    """A request the playground refuses, with the HTTP status and a sentence for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Playground:
    """A running playground: the page at ``url``, FakeSlack and the app behind it."""

    app: PlaygroundApp
    slack: FakeSlack
    host: str
    port: int
    _runner: web.AppRunner
    _hub: Hub

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"  # listening everywhere; this machine is one of them
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    async def close(self) -> None:
        """Stop serving the page, then stop FakeSlack and the app (the database stays open:
        ``app.close()`` is the caller's)."""
        await self._hub.close()
        await self._runner.cleanup()
        await self.slack.__aexit__(None, None, None)


async def serve_playground(app: PlaygroundApp, *, host: str = "127.0.0.1",
                           port: int = 3000) -> Playground:
    """Start FakeSlack around ``app`` and serve the playground page on ``host:port``.

    ``port=0`` picks a free port (see ``Playground.port``). Raises ``OSError`` when the
    address is taken, after stopping what it started.
    """
    hub = Hub()
    slack = FakeSlack(app)
    slack.api.listeners.append(hub.message_changed)  # before it starts: nothing is missed
    slack.api.status_listeners.append(hub.status_changed)
    slack.api.ephemeral_listeners.append(hub.ephemeral_posted)
    slack.api.people.update({user.id: user.name for user in USERS})  # who joins a thread
    await slack.__aenter__()
    api = Api(app, slack, hub, loopback_only=_is_loopback(host))
    runner = web.AppRunner(api.web_app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        await slack.__aexit__(None, None, None)
        raise
    api.port = runner.addresses[0][1]
    return Playground(app, slack, host, api.port, runner, hub)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class Api:
    """The routes the page uses; each answers once the app has handled the action."""

    def __init__(self, app: PlaygroundApp, slack: FakeSlack, hub: Hub, *,
                 loopback_only: bool) -> None:
        self.app = app
        self.slack = slack
        self.hub = hub
        self.loopback_only = loopback_only
        self.port = 0

    def web_app(self) -> web.Application:
        web_app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        web_app.router.add_get("/", self.index)
        web_app.router.add_static("/static/", STATIC)
        web_app.router.add_get("/api/state", self.state)
        web_app.router.add_get("/api/panel", self.panel)
        web_app.router.add_get("/api/emoji", self.emoji)
        web_app.router.add_post("/api/say", self.say)
        web_app.router.add_post("/api/click", self.click)
        web_app.router.add_post("/api/dm/new", self.new_dm_conversation)
        web_app.router.add_post("/api/agent/new", self.new_agent_thread)
        web_app.router.add_post("/api/home", self.open_home)
        web_app.router.add_get("/api/live", self.hub.socket)
        web_app.on_response_prepare.append(_security_headers)
        return web_app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # On loopback, refuse other Host names (DNS rebinding) and, for anything that acts
        # or listens, other origins: a web page the user visits must not drive the app.
        if self.loopback_only and request.host not in {
                f"{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]")}:
            return web.json_response({"error": "unknown Host"}, status=403)
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            return web.json_response({"error": "cross-origin request refused"}, status=403)
        if request.method == "POST" and request.content_type != "application/json":
            return web.json_response({"error": "send JSON"}, status=415)
        try:
            return await handler(request)
        except ApiError as error:
            return web.json_response({"error": str(error)}, status=error.status)
        except FakeSlackError as error:  # the app called Slack in a way Slack would refuse
            return web.json_response({"error": str(error)}, status=502)

    async def index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def state(self, request: web.Request) -> web.Response:
        """Everything the page starts from: the workspace, the personas, every message."""
        return web.json_response({
            **workspace_json(team_channels(self.app.registry.personas.values())),
            "personas": personas_json(self.app),
            "messages": [self.hub.view(m).json() for m in self.slack.messages],
            "instance": self.hub.instance,
            "dm_idle_timeout": self.app.dm_idle_timeout,
            "statuses": [self.hub.status_event(s) for s in self.hub.statuses.values()],
            "ephemeral": self.hub.ephemeral,
        })

    async def emoji(self, request: web.Request) -> web.Response:
        """GET /api/emoji: every Slack shortcode (no colons) -> its emoji, for the page."""
        return web.Response(body=shortcodes_json(), content_type="application/json")

    async def panel(self, request: web.Request) -> web.Response:
        """GET /api/panel?channel=&thread=&user=: owner, transfers and context entries."""
        query = request.query
        user = _user(query.get("user"))
        channel = self._channel(query.get("channel"), user)
        thread = query.get("thread") or None  # in a DM: an agent thread, or its top level
        if thread is not None and not channel.startswith("D"):
            self._root(channel, thread)
        return web.json_response(await panel_json(self.app, channel, thread, user))

    async def say(self, request: web.Request) -> web.Response:
        """POST /api/say {channel, thread, user, text}: the user posts, as Slack would send it.

        No ``thread`` in a channel starts a thread (the message mentions the app); a
        ``thread`` makes it a reply there. In the user's DM, messages are top-level.
        """
        body = await _json(request)
        user = _user(body.get("user"))
        channel = self._channel(body.get("channel"), user)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise ApiError(400, f"text: give 1-{MAX_TEXT} characters.")
        thread = body.get("thread") or None
        if text.strip().startswith(COMMAND):  # Slack sends a command, not a message
            await self.slack.slash_command(text.strip()[len(COMMAND):].strip(), user=user,
                                           channel=channel)
            self.hub.thread_settled(channel, thread)
            return web.json_response({"ok": True, "channel": channel, "thread": thread})
        convo: Conversation
        if channel.startswith("D"):
            convo = self.slack.dm(user, thread_ts=thread)  # a thread here: an agent thread
        else:
            if thread is not None:
                self._root(channel, thread)
            convo = self.slack.conversation(user=user, channel=channel, thread_ts=thread)
        try:
            await convo.user_says(text.strip())
        finally:
            self.hub.thread_settled(channel, convo.thread_ts)
        return web.json_response({"ok": True, "channel": channel, "thread": convo.thread_ts})

    async def click(self, request: web.Request) -> web.Response:
        """POST /api/click {channel, ts, label, user}: click a button under an app message."""
        body = await _json(request)
        user = _user(body.get("user"))
        message = next((m for m in self.slack.messages if m.from_app
                        and m.channel == body.get("channel") and m.ts == body.get("ts")), None)
        if message is None:
            raise ApiError(404, "no such message from the app.")
        if body.get("label") not in [b["text"]["text"] for b in message.buttons]:
            raise ApiError(409, "that button is no longer there (someone already answered).")
        try:
            await self.slack.click(message, body["label"], user=user)
        finally:
            self.hub.thread_settled(message.channel, message.thread_ts)
        return web.json_response({"ok": True, "channel": message.channel,
                                  "thread": message.thread_ts})

    async def new_dm_conversation(self, request: web.Request) -> web.Response:
        """POST /api/dm/new {user}: let the DM go idle (Slack's clock skips ahead), so the
        user's next DM starts a new conversation with the entry persona."""
        user = _user((await _json(request)).get("user"))
        skipped = self.app.dm_idle_timeout + 1
        self.slack.clock.advance(skipped)
        self.hub.thread_settled(self.slack.dm(user).channel, None)
        return web.json_response({"ok": True, "skipped_seconds": skipped})

    async def new_agent_thread(self, request: web.Request) -> web.Response:
        """POST /api/agent/new {user}: the user opens a new agent thread in their DM; the
        entry persona greets it."""
        user = _user((await _json(request)).get("user"))
        convo = await self.slack.agent_thread(user)
        self.hub.thread_settled(convo.channel, convo.thread_ts)
        return web.json_response({"ok": True, "channel": convo.channel,
                                  "thread": convo.thread_ts})

    async def open_home(self, request: web.Request) -> web.Response:
        """POST /api/home {user}: the user opens the app's Home tab; the app publishes it
        (views.publish) and the page draws what it published."""
        user = _user((await _json(request)).get("user"))
        view = await self.slack.open_home(user)
        return web.json_response({"ok": True, "blocks": home_json(view)})

    def _channel(self, channel: object, user: str) -> str:
        """A channel of the workspace, or the user's own DM."""
        channels = {c.id for c in team_channels(self.app.registry.personas.values())}
        if channel == self.slack.dm(user).channel or channel in channels:
            return str(channel)
        raise ApiError(404, f"no channel {channel!r} here (or it is another user's DM).")

    def _root(self, channel: str, thread: object) -> Message:
        found = next((m for m in self.slack.messages if m.channel == channel and m.ts == thread
                      and m.thread_ts is None), None)
        if found is None:
            raise ApiError(404, f"no thread {thread!r} in {channel}.")
        return found


def _user(user: object) -> str:
    if not valid_user(user):
        raise ApiError(400, f"user {user!r} is not a Slack user id like 'U0ADA00001'.")
    return str(user)


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "the body is not JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "send a JSON object.")
    return body


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
