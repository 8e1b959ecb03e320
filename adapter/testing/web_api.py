"""A strict fake of Slack's Web API on loopback, and the messages it has seen."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .agent_api import AGENT_METHODS
from .errors import FakeSlackError
from .faults import FaultSwitch
from .slack_values import (  # re-exported: tests and tools import the ids from here
    APP_ID,
    APP_TOKEN,
    BOT_ID,
    BOT_USER_ID,
    SCOPES,
    TEAM_ID,
    TEXT_LIMIT,
    TOKEN,
    ApiCall,
    Clock,
    Message,
    SlackError,
    check_blocks,
    flag,
    json_arg,
)

__all__ = ["APP_ID", "APP_TOKEN", "BOT_ID", "BOT_USER_ID", "SCOPES", "TEAM_ID", "TOKEN",
           "ApiCall", "Clock", "FakeSlackError", "Message", "SlackError", "WebApi"]


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
    ephemeral_listeners: list[Callable[[Message], None]] = field(default_factory=list)
    faults: FaultSwitch = field(default_factory=lambda: FaultSwitch())
    port: int = 0  # where it listens, once it does: other Host names are refused
    # The people in the workspace by user id (their display names), for users.info.
    people: dict[str, str] = field(default_factory=dict)
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> published view
    # Agent threads: every status set, in order; prompts and titles by (channel, thread).
    statuses: list[dict[str, Any]] = field(default_factory=list)
    status_listeners: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    prompts: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    reacted: list[tuple[str, str, str]] = field(default_factory=list)  # "+name", "-name"
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def record(self, message: Message) -> None:
        """Store a new message and tell the listeners."""
        self.messages.append(message)
        self._changed(message)

    def changed(self, message: Message) -> None:
        """A message was changed (updated, streamed into): tell the listeners."""
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
        metadata = json_arg(args.get("metadata"))
        if metadata is not None and not {"event_type", "event_payload"} <= set(metadata):
            return "metadata needs 'event_type' and 'event_payload'."
        blocks = json_arg(args.get("blocks"))
        if blocks is not None and (problem := check_blocks(blocks)):
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
        blocks = json_arg(args.get("blocks"))
        if blocks is not None and (problem := check_blocks(blocks)):
            return problem
        found.text = args.get("markdown_text") or args.get("text", found.text)
        found.blocks = blocks if blocks is not None else found.blocks
        if args.get("metadata"):
            found.metadata = json_arg(args["metadata"])
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
        for listener in self.ephemeral_listeners:
            listener(self.ephemeral[-1])
        return {"message_ts": self.ephemeral[-1].ts}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("channel") or not args.get("ts"):
            return "missing required argument 'channel' or 'ts'."
        oldest = float(args.get("oldest") or 0)
        thread = [m for m in self.messages if m.channel == args["channel"]
                  and (m.ts == args["ts"] or m.thread_ts == args["ts"]) and float(m.ts) >= oldest]
        return {"messages": [m.json(flag(args, "include_all_metadata")) for m in thread][
            :int(args.get("limit") or 1000)], "has_more": False}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("channel"):
            return "missing required argument 'channel'."
        oldest = float(args.get("oldest") or 0)
        top = [m for m in reversed(self.messages) if m.channel == args["channel"]
               and m.thread_ts in (None, m.ts) and float(m.ts) >= oldest]
        return {"messages": [m.json(flag(args, "include_all_metadata")) for m in top][
            :int(args.get("limit") or 100)], "has_more": False}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any] | str:
        user = args.get("user")
        if not user:
            return "missing required argument 'user'."
        if not str(user).startswith(("U", "W")):
            return SlackError("user_not_found")
        name = self.people.get(user, user)
        return {"user": {"id": user, "name": name.lower().replace(" ", "."), "profile": {
            "display_name": name, "real_name": name,
            "image_72": f"https://avatars.example.com/{user}.png"}}}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any] | str:
        view = json_arg(args.get("view"))
        if not args.get("user_id") or not isinstance(view, dict):
            return "missing required argument 'user_id' or 'view'."
        if view.get("type") != "home":
            return f"view type {view.get('type')!r}: views.publish shows the Home tab ('home')."
        if problem := check_blocks(view.get("blocks") or []):
            return problem
        self.homes[args["user_id"]] = view
        return {"view": {"id": f"V{len(self.homes):08d}", **view}}

    METHODS = {"auth.test": _auth_test, "users.info": _users_info,
               "views.publish": _views_publish,
               "chat.postMessage": _chat_post_message,
               "chat.postEphemeral": _chat_post_ephemeral, "chat.update": _chat_update,
               "conversations.replies": _conversations_replies,
               "conversations.history": _conversations_history,
               "apps.connections.open": _apps_connections_open, **AGENT_METHODS}

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
