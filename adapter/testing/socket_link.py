"""Slack's Socket Mode, faked: a WebSocket that hands apps envelopes and takes their acks.

Several connections may share the link, as when several instances of one app run Socket
Mode (Slack allows ten): each envelope goes to the next connection in turn, and one that
gets no ack (the connection dropped, or three seconds passed) goes again to another, with
``retry_attempt`` counting up, as Slack does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from .web_api import APP_ID

ACK_TIMEOUT = 3.0  # Slack's own limit for an ack
ATTEMPTS = 4  # the first delivery and Slack's three retries


class SocketLink:
    """The /link WebSocket of Socket Mode: hello, then envelopes the apps must ack."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()  # set while at least one app is connected
        self.acked: list[int] = []  # envelopes acked, per connection in the order they came
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, tuple[web.WebSocketResponse, asyncio.Future[None]]] = {}
        self._ids = itertools.count(1)
        self._turns = itertools.count()
        self._changed = asyncio.Condition()

    @property
    def connections(self) -> int:
        return len(self._sockets)

    def add_route(self, app: web.Application) -> None:
        app.router.add_get("/link", self._serve)

    async def wait_for(self, connections: int, timeout: float = 30.0) -> None:
        """Return once ``connections`` apps are connected."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self._sockets) >= connections), timeout)

    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": len(self._sockets) + 1,
                                "connection_info": {"app_id": APP_ID},
                                "debug_info": {"host": "baton-fake"}})
        index = len(self.acked)
        self.acked.append(0)
        await self._joined(socket)
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    ack = json.loads(message.data).get("envelope_id")
                    _, future = self._acks.pop(ack, (None, None))
                    if future is not None and not future.done():
                        self.acked[index] += 1
                        future.set_result(None)
        finally:
            await self._left(socket)
        return socket

    async def _joined(self, socket: web.WebSocketResponse) -> None:
        async with self._changed:
            self._sockets.append(socket)
            self.connected.set()
            self._changed.notify_all()

    async def _left(self, socket: web.WebSocketResponse) -> None:
        async with self._changed:
            self._sockets.remove(socket)
            if not self._sockets:
                self.connected.clear()
            self._changed.notify_all()
        for sent_over, future in list(self._acks.values()):
            if sent_over is socket and not future.done():  # it will never be acked now
                future.set_exception(ConnectionError("the connection closed before the ack"))

    async def deliver(self, body: str, content_type: str) -> int:
        """Send a body as Slack would over Socket Mode; 200 once an app acked it."""
        form = parse_qs(body) if content_type == "application/x-www-form-urlencoded" else {}
        if "command" in form:  # a slash command: its fields, flat, as Slack sends them
            kind, payload = "slash_commands", {k: v[0] for k, v in form.items()}
        elif form:
            kind, payload = "interactive", json.loads(form["payload"][0])
        else:
            kind, payload = "events_api", json.loads(body)
        reason = "the app is not connected over Socket Mode"
        for attempt in range(ATTEMPTS):
            if not self._sockets:
                break
            socket = self._sockets[next(self._turns) % len(self._sockets)]
            envelope_id = f"env-{next(self._ids)}"
            acked = asyncio.get_running_loop().create_future()
            self._acks[envelope_id] = (socket, acked)
            envelope: dict[str, Any] = {
                "envelope_id": envelope_id, "type": kind, "payload": payload,
                "accepts_response_payload": False, "retry_attempt": attempt,
                "retry_reason": "timeout" if attempt else ""}
            try:
                await socket.send_json(envelope)
                await asyncio.wait_for(acked, timeout=ACK_TIMEOUT)
                return 200
            except (ConnectionError, TimeoutError) as error:
                self._acks.pop(envelope_id, None)
                reason = f"no ack after {attempt + 1} deliveries ({error or 'timeout'})"
        raise ConnectionError(reason)

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
