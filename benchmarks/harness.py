"""Shared pieces: a fake Slack Web API that signals each post, a signed event sender, stats."""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import time
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from adapter.testing.web_api import APP_ID, BOT_USER_ID, TEAM_ID, WebApi


class SignalingApi(WebApi):
    """FakeSlack's Web API, plus an event set whenever a message is posted."""

    def __init__(self) -> None:
        super().__init__()
        self.posted = asyncio.Event()
        self.METHODS = {**WebApi.METHODS, "chat.postMessage": SignalingApi._post}

    def _post(self, args: dict[str, Any]) -> Any:
        result = WebApi._chat_post_message(self, args)
        self.posted.set()
        return result

    async def serve(self) -> tuple[web.AppRunner, str]:
        runner = web.AppRunner(self.routes(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner, f"http://127.0.0.1:{port}/api/"


class EventSender:
    """Signs and posts Events API bodies, as Slack does."""

    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.verifier = SignatureVerifier(signing_secret)
        self.session = aiohttp.ClientSession()

    async def mention(self, text: str, channel: str = "C0BENCH") -> None:
        ts = f"{time.time():.6f}"
        event = {"type": "app_mention", "channel": channel, "user": "U0BENCH",
                 "text": f"<@{BOT_USER_ID}> {text}", "ts": ts, "event_ts": ts, "team": TEAM_ID}
        body = json.dumps({"token": "x", "team_id": TEAM_ID, "api_app_id": APP_ID,
                           "event": event, "type": "event_callback",
                           "event_id": "Ev" + secrets.token_hex(8), "event_time": int(time.time())})
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp,
                                                                         body=body) or ""}
        async with self.session.post(self.url, data=body, headers=headers) as response:
            await response.read()

    async def close(self) -> None:
        await self.session.close()


async def time_until_posts(api: SignalingApi, send: Any, posts: int) -> float:
    """Seconds from sending one user message until ``posts`` replies reached Slack."""
    target = len(api.messages) + posts
    started = time.perf_counter()
    await send()
    while len(api.messages) < target:
        api.posted.clear()
        await api.posted.wait()
    return time.perf_counter() - started


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1000}
