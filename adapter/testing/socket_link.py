"""Slack's Socket Mode, faked: a WebSocket that hands the app envelopes and takes its acks."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from .web_api import APP_ID


class SocketLink:
    """The /link WebSocket of Socket Mode: hello, then envelopes the app must ack."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self._socket: web.WebSocketResponse | None = None
        self._acks: dict[str, asyncio.Future[None]] = {}
        self._ids = itertools.count(1)

    def add_route(self, app: web.Application) -> None:
        app.router.add_get("/link", self._serve)

    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "connection_info": {"app_id": APP_ID},
                                "debug_info": {"host": "baton-fake"}})
        self._socket = socket
        self.connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data).get("envelope_id")
                future = self._acks.pop(ack, None)
                if future is not None and not future.done():
                    future.set_result(None)
        self._socket = None
        self.connected.clear()
        return socket

    async def deliver(self, body: str, content_type: str) -> int:
        """Send a body as Slack would over Socket Mode; 200 once the app acked it."""
        if self._socket is None:
            raise ConnectionError("the app is not connected over Socket Mode")
        if content_type == "application/x-www-form-urlencoded":
            kind, payload = "interactive", json.loads(parse_qs(body)["payload"][0])
        else:
            kind, payload = "events_api", json.loads(body)
        envelope_id = f"env-{next(self._ids)}"
        acked = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = acked
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": False, "retry_attempt": 0,
                                    "retry_reason": ""}
        await self._socket.send_json(envelope)
        await asyncio.wait_for(acked, timeout=3)  # Slack's own limit for an ack
        return 200

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
