"""A strict fake of Slack's Web API on loopback, and the messages it has seen."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .errors import FakeSlackError
from .faults import FaultSwitch

TEAM_ID = "T0BATON01"
BOT_USER_ID = "U0BATONBOT"
BOT_ID = "B0BATONBOT"
APP_ID = "A0BATONAPP"
TOKEN = "xoxb-baton-fake-token"
APP_TOKEN = "xapp-baton-fake-token"
# What the shipped manifest grants; auth.test reports it in x-oauth-scopes, like Slack.
SCOPES = (
    "app_mentions:read,channels:history,chat:write,chat:write.customize,groups:history,"
    "im:history,mpim:history"
)


@dataclass(frozen=True)
class SlackError:
    """An ok=false answer Slack gives to a well-formed call (msg_too_long, say)."""

    error: str


__all__ = ["ApiCall", "Clock", "FakeSlackError", "Message", "SlackError", "WebApi"]
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


@dataclass
class WebApi:
    """The Web API methods the app uses, checked as strictly as Slack checks them."""

    token: str = TOKEN
    app_token: str = APP_TOKEN
    socket_url: str = ""  # where apps.connections.open sends Socket Mode clients
    clock: Clock = field(default_factory=Clock)
    calls: list[ApiCall] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    scopes: str = SCOPES
    # Called with every message stored or changed (people's and the app's), in order.
    listeners: list[Callable[[Message], None]] = field(default_factory=list)
    ephemeral: list[Message] = field(default_factory=list)  # seen only by their user
    faults: FaultSwitch = field(default_factory=lambda: FaultSwitch())
    port: int = 0  # where it listens, once it does: other Host names are refused
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def record(self, message: Message) -> None:
        """Store a new message and tell the listeners."""
        self.messages.append(message)
        self._changed(message)

    def _changed(self, message: Message) -> None:
        for listener in self.listeners:
            listener(message)

    def routes(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._dispatch)
        return app

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if self.port and request.host not in {f"{name}:{self.port}" for name in
                                              ("127.0.0.1", "localhost", "[::1]")}:
            # Only this machine's own address: a web page must not reach it by another name.
            return web.json_response({"ok": False, "error": "invalid_host"}, status=403)
        method = request.match_info["method"]
        args = await _arguments(request)
        self.calls.append(ApiCall(method, args))
        fault = self.faults.take(method)
        if fault is not None:
            return await self.faults.apply(fault, request, lambda: self._answer(request,
                                                                                method, args))
        return await self._answer(request, method, args)

    async def _answer(self, request: web.Request, method: str,
                      args: dict[str, Any]) -> web.Response:
        handler = self.METHODS.get(method)
        if handler is None:
            return self._refuse(
                f"the app called Slack method {method!r}, which FakeSlack does not implement "
                f"(it implements {', '.join(sorted(self.METHODS))}).", "unknown_method")
        kind, token = ("app", self.app_token) if method == "apps.connections.open" \
            else ("bot", self.token)
        if request.headers.get("Authorization") != f"Bearer {token}":
            return self._refuse(f"{method}: wrong or missing {kind} token.", "invalid_auth")
        body = handler(self, args)
        if isinstance(body, SlackError):  # an answer real Slack gives, not the app's mistake
            return web.json_response({"ok": False, "error": body.error})
        if isinstance(body, str):
            return self._refuse(f"{method}: {body}", "invalid_arguments")
        headers = {"x-oauth-scopes": self.scopes} if method == "auth.test" else {}
        return web.json_response({"ok": True, **body}, headers=headers)

    def _refuse(self, problem: str, error: str) -> web.Response:
        self.problems.append(problem)
        return web.json_response({"ok": False, "error": error})

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any] | str:
        return {"url": "https://baton-fake.slack.com/", "team": "Baton", "user": "baton",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                "is_enterprise_install": False}

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("channel"):
            return "missing required argument 'channel'."
        if not (args.get("text") or args.get("blocks") or args.get("attachments")):
            return "missing required argument: one of 'text', 'blocks' or 'attachments'."
        if len(args.get("text") or "") > TEXT_LIMIT:
            return SlackError("msg_too_long")
        metadata = _json_arg(args.get("metadata"))
        if metadata is not None and not {"event_type", "event_payload"} <= set(metadata):
            return "metadata needs 'event_type' and 'event_payload'."
        blocks = _json_arg(args.get("blocks"))
        if blocks is not None and (problem := _check_blocks(blocks)):
            return problem
        message = Message(
            channel=args["channel"], ts=self.clock.ts(), text=args.get("text", ""),
            thread_ts=args.get("thread_ts"), username=args.get("username"),
            icon=args.get("icon_emoji") or args.get("icon_url"), metadata=metadata, blocks=blocks,
        )
        self.record(message)
        return {"channel": message.channel, "ts": message.ts,
                "message": {"text": message.text, "bot_id": BOT_ID, "ts": message.ts}}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any] | str:
        for name in ("channel", "ts"):
            if not args.get(name):
                return f"missing required argument {name!r}."
        found = next((m for m in self.messages if m.channel == args["channel"]
                      and m.ts == args["ts"]), None)
        if found is None:
            return f"no message {args['ts']} in channel {args['channel']} (message_not_found)."
        if found.user is not None:
            return "cannot update a user's message (cant_update_message)."
        blocks = _json_arg(args.get("blocks"))
        if blocks is not None and (problem := _check_blocks(blocks)):
            return problem
        found.text = args.get("text", found.text)
        found.blocks = blocks if blocks is not None else found.blocks
        self._changed(found)
        return {"channel": found.channel, "ts": found.ts, "text": found.text}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not self.socket_url:
            return "this FakeSlack does not run Socket Mode; use FakeSlack(app, socket_mode=True)."
        return {"url": self.socket_url}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any] | str:
        for name in ("channel", "user", "text"):
            if not args.get(name):
                return f"missing required argument {name!r}."
        self.ephemeral.append(Message(args["channel"], self.clock.ts(), args["text"],
                                      thread_ts=args.get("thread_ts"), username=args["user"]))
        return {"message_ts": self.ephemeral[-1].ts}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("channel") or not args.get("ts"):
            return "missing required argument 'channel' or 'ts'."
        oldest = float(args.get("oldest") or 0)
        thread = [m for m in self.messages if m.channel == args["channel"]
                  and (m.ts == args["ts"] or m.thread_ts == args["ts"]) and float(m.ts) >= oldest]
        return {"messages": [m.json(_flag(args, "include_all_metadata")) for m in thread][
            :int(args.get("limit") or 1000)], "has_more": False}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("channel"):
            return "missing required argument 'channel'."
        oldest = float(args.get("oldest") or 0)
        top = [m for m in reversed(self.messages) if m.channel == args["channel"]
               and m.thread_ts in (None, m.ts) and float(m.ts) >= oldest]
        return {"messages": [m.json(_flag(args, "include_all_metadata")) for m in top][
            :int(args.get("limit") or 100)], "has_more": False}

    METHODS = {"auth.test": _auth_test, "chat.postMessage": _chat_post_message,
               "chat.postEphemeral": _chat_post_ephemeral, "chat.update": _chat_update,
               "conversations.replies": _conversations_replies,
               "conversations.history": _conversations_history,
               "apps.connections.open": _apps_connections_open}

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


async def _arguments(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    args = {k: v for k, v in form.items() if isinstance(v, str)}
    args.update(request.query)
    return args


def _flag(args: dict[str, Any], name: str) -> bool:
    return str(args.get(name, "")).lower() in ("1", "true")


def _json_arg(value: Any) -> Any:
    """slack_sdk sends some arguments as JSON strings in form posts."""
    return json.loads(value) if isinstance(value, str) else value


def _check_blocks(blocks: Any) -> str | None:
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
