"""Live updates: FakeSlack's Web API reports every message it stores or changes (its
``listeners``), and the hub pushes them to every open page over a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSCloseCode, web

from ..testing.web_api import Message
from .workspace import MessageView, ephemeral_json

log = logging.getLogger("baton.playground")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Hub:
    """Open pages, and what to push to them: messages (with a revision number, so a page
    never replaces a newer copy with an older one) and hints that a thread changed."""

    def __init__(self) -> None:
        # Messages live in memory: a page that reconnects to a restarted playground must
        # drop what it had (revisions start again too), and this id tells it so.
        self.instance = secrets.token_hex(6)
        self.revision = 0
        self._revisions: dict[tuple[str, str], int] = {}
        self._queues: set[asyncio.Queue[str]] = set()
        self._sockets: set[web.WebSocketResponse] = set()
        self.statuses: dict[tuple[str, str], dict[str, Any]] = {}  # each thread's latest
        self.ephemeral: list[dict[str, Any]] = []  # pages show each to its user only

    def view(self, message: Message) -> MessageView:
        """The message as the page shows it, with its latest revision number."""
        return MessageView.of(message, self._revisions.get((message.channel, message.ts), 0))

    def message_changed(self, message: Message) -> None:
        """Push a new or updated message to every page."""
        self.revision += 1
        self._revisions[(message.channel, message.ts)] = self.revision
        self.publish({"type": "message", "message": self.view(message).json()})

    def ephemeral_posted(self, message: Message) -> None:
        """Push a message meant for one user (an answer to /baton who); every page gets it,
        and a page shows it only while it plays that user, as Slack would."""
        shown = ephemeral_json(message)
        self.ephemeral.append(shown)
        self.publish({"type": "ephemeral", "message": shown})

    def status_changed(self, status: dict[str, Any]) -> None:
        """Push an agent thread's status line (empty: cleared) to every page."""
        self.statuses[(status["channel"], status["thread_ts"])] = status
        self.publish(self.status_event(status))

    @staticmethod
    def status_event(status: dict[str, Any]) -> dict[str, Any]:
        return {"type": "status", "channel": status["channel"], "thread": status["thread_ts"],
                "status": status["status"], "username": status["username"]}

    def thread_settled(self, channel: str, thread: str | None) -> None:
        """Tell pages that the app finished handling something in a thread (or a DM):
        its owner, transfers and context entries may have changed."""
        self.publish({"type": "settled", "channel": channel, "thread": thread})

    def publish(self, event: dict[str, Any]) -> None:
        data = json.dumps(event)
        for queue in self._queues:
            queue.put_nowait(data)  # unbounded: pages are few, and each drains its own

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        """GET /api/live: one page's WebSocket. It only listens; the server only talks."""
        ws = web.WebSocketResponse(heartbeat=30)
        await ws.prepare(request)
        queue: asyncio.Queue[str] = asyncio.Queue()
        queue.put_nowait(json.dumps({"type": "hello", "instance": self.instance}))
        self._queues.add(queue)
        self._sockets.add(ws)
        sender = asyncio.create_task(self._send(ws, queue))
        try:
            async for _ in ws:  # reading is how a closed page is noticed
                pass
        finally:
            self._queues.discard(queue)
            self._sockets.discard(ws)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return ws

    @staticmethod
    async def _send(ws: web.WebSocketResponse, queue: asyncio.Queue[str]) -> None:
        # One writer per socket keeps pushes in order; concurrent send_str calls could not.
        while True:
            data = await queue.get()
            try:
                await ws.send_str(data)
            except ConnectionError:
                return

    async def close(self) -> None:
        """Close every page's socket (pages reconnect to the next playground)."""
        for ws in list(self._sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"playground stopped")
