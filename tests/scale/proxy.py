"""A small round-robin proxy on loopback, as a load balancer in front of several
instances: each request goes to the next backend; when one fails (refused, or died
mid-request), the request goes to the next, as a balancer with retries does."""

from __future__ import annotations

import itertools

import aiohttp
from aiohttp import web


class RoundRobin:
    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self._turns = itertools.cycle(range(len(backends)))
        self.sent = [0] * len(backends)

    async def start(self) -> str:
        self.session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/slack/events", self._forward)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        return f"http://127.0.0.1:{self.runner.addresses[0][1]}/slack/events"

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower().startswith("x-slack") or k.lower() == "content-type"}
        first = next(self._turns)
        for step in range(len(self.backends)):  # each backend once, from this one's turn
            turn = (first + step) % len(self.backends)
            try:
                async with self.session.post(self.backends[turn], data=body,
                                             headers=headers) as answer:
                    self.sent[turn] += 1
                    return web.Response(status=answer.status, body=await answer.read())
            except (aiohttp.ClientError, TimeoutError):
                continue  # down, or died mid-request: the next one (it may have admitted
                # the event already; the inbox's key makes the second admission a no-op)
        return web.Response(status=502, text="no backend")

    async def stop(self) -> None:
        await self.session.close()
        await self.runner.cleanup()
