"""Serving the bridge: the Events API over HTTP (with a health check), or Socket Mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from .bridge import SlackBridge

EVENTS_PATH = "/slack/events"


class Serving:
    """How one bridge takes events: an HTTP server, or a Socket Mode connection."""

    def __init__(self, bridge: SlackBridge,
                 health: Callable[[], dict[str, Any]] = dict) -> None:
        self.bridge = bridge
        self.health = health  # what /healthz adds to {"ok": true}: the inbox's counters
        self._runner: web.AppRunner | None = None
        self._socket: Any = None

    def web_app(self) -> web.Application:
        """An aiohttp app with the Events API endpoint and a health check."""
        bolt = self.bridge.bolt

        async def events(request: web.Request) -> web.Response:
            response = await bolt.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(response)

        async def healthz(_: web.Request) -> web.Response:
            return web.json_response({"ok": True, **self.health()})

        app = web.Application()
        app.router.add_post(EVENTS_PATH, events)
        app.router.add_get("/healthz", healthz)
        return app

    async def http(self, host: str, port: int) -> int:
        """Serve the Events API over HTTP; returns the bound port (useful with port 0)."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        return self._runner.addresses[0][1]

    async def socket_mode(self, app_token: str) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        # slack_sdk retries a refused connection forever; ask once first, to fail clearly.
        await self.bridge.checked(
            self.bridge.client.apps_connections_open(app_token=app_token), "app token",
            "apps.connections.open", "check SLACK_APP_TOKEN: an app-level token (xapp-...) with "
            "the connections:write scope, from your app's Basic Information page.")
        self._socket = AsyncSocketModeHandler(self.bridge.bolt, app_token,
                                              web_client=self.bridge.client)
        await self._socket.connect_async()

    async def stop(self) -> None:
        """Stop taking events; listeners already running go on."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
