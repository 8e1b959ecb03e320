"""Slack as the crash test needs it: a fake Web API with network latency, signed event
deliveries that remember which got their 200, redelivery, and waiting for answers."""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from adapter.slack.signing import signature
from adapter.testing.payloads import event_callback
from adapter.testing.socket_link import SocketLink
from adapter.testing.web_api import APP_TOKEN, BOT_USER_ID, TEAM_ID, TOKEN, Message, WebApi

ROOT = Path(__file__).resolve().parents[2]


class Workspace:
    """The fake Web API and everything posted to it, with a little latency per post."""

    def __init__(self, rng: random.Random, *, socket_mode: bool = False) -> None:
        self.api = WebApi()
        self.rng = rng
        self.link = SocketLink() if socket_mode else None
        self.latency = (0.002, 0.02)  # seconds per post, at random between
        self.changed = asyncio.Event()
        self.api.listeners.append(lambda _: self.changed.set())

    async def start(self) -> str:
        @web.middleware
        async def latency(request: web.Request, handler: Callable[..., Awaitable[Any]]) -> Any:
            if request.path.endswith("chat.postMessage"):
                # Network time, so that a kill lands while posts are on their way.
                await asyncio.sleep(self.rng.uniform(*self.latency))
            return await handler(request)

        app = self.api.routes()
        app.middlewares.append(latency)
        if self.link is not None:
            self.link.add_route(app)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.api.port = self.runner.addresses[0][1]
        if self.link is not None:
            self.api.socket_url = f"ws://127.0.0.1:{self.api.port}/link"
        return f"http://127.0.0.1:{self.api.port}/api/"

    def answers(self, channel: str, thread: str) -> list[Message]:
        return [m for m in self.api.messages
                if m.from_app and m.channel == channel and m.thread_ts == thread]

    async def until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``done()`` holds, woken by each new message; False after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not done():
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return done()
        return True

    async def stop(self) -> None:
        if self.link is not None:
            await self.link.close()
        await self.runner.cleanup()


class Baton:
    """``baton run --http`` (or ``baton run`` in Socket Mode, with no port) as a child
    process, started and killed at will."""

    def __init__(self, api_url: str, db: Path | str, secret: str, port: int | None,
                 instance: str = "crash") -> None:
        where = {"BATON_DATABASE_URL": db} if isinstance(db, str) else {"BATON_DB": str(db)}
        self.env = {**{k: v for k, v in os.environ.items()
                       if not k.startswith(("SLACK_", "BATON_"))},
                    "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": secret,
                    "BATON_SLACK_API_URL": api_url, **where,
                    "PYTHONPATH": str(ROOT),
                    # The restarted process is the same instance: it takes its leases back.
                    "BATON_INSTANCE": instance}
        if port is None:
            self.env["SLACK_APP_TOKEN"] = APP_TOKEN
            self.mode: tuple[str, ...] = ()
        else:
            self.env["BATON_PORT"] = str(port)
            self.mode = ("--http",)
        self.database = db
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.child: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapter.cli", "run", *self.mode, "--bots", "tests.crash_bots",
            env=self.env, cwd=ROOT, stderr=asyncio.subprocess.PIPE)
        assert self.child.stderr is not None
        seen = []
        while True:  # ready once it says so: after it ran what its inbox held
            line = (await asyncio.wait_for(self.child.stderr.readline(), 60)).decode()
            assert line, "baton run exited: " + "".join(seen)
            seen.append(line)
            if "connected to Slack" in line:
                break
        self._drain = asyncio.create_task(self._read_rest())

    async def _read_rest(self) -> None:
        assert self.child is not None and self.child.stderr is not None
        while await self.child.stderr.readline():
            pass

    async def kill(self) -> None:
        assert self.child is not None
        self.child.kill()
        await self.child.wait()
        await self._drain

    async def stop(self) -> None:
        assert self.child is not None
        self.child.terminate()
        await self.child.wait()
        await self._drain


class Sender:
    """Delivers events as Slack does: signed, and again (a retry) if no 200 came."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.session = aiohttp.ClientSession()
        self.unacked: dict[str, str] = {}  # event id -> body

    async def deliver(self, url: str, event: dict[str, Any], event_id: str,
                      retry: int = 0) -> bool:
        body = event_callback(event, event_id)
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": signature(self.secret, stamp, body)}
        if retry:
            headers.update({"X-Slack-Retry-Num": str(retry),
                            "X-Slack-Retry-Reason": "http_error"})
        try:
            async with self.session.post(url, data=body, headers=headers) as response:
                await response.read()
                acked = response.status == 200
        except aiohttp.ClientError:
            acked = False
        if acked:
            self.unacked.pop(event_id, None)
        else:
            self.unacked[event_id] = json.dumps(event)
        return acked

    async def redeliver(self, url: str) -> None:
        for event_id, event in list(self.unacked.items()):
            await self.deliver(url, json.loads(event), event_id, retry=1)

    async def close(self) -> None:
        await self.session.close()


def mention(channel: str, ts: str, text: str) -> dict[str, Any]:
    return {"type": "app_mention", "channel": channel, "user": "U0CRASH", "ts": ts,
            "event_ts": ts, "text": f"<@{BOT_USER_ID}> {text}", "team": TEAM_ID}


def reply(channel: str, ts: str, thread: str, text: str) -> dict[str, Any]:
    return {"type": "message", "channel": channel, "user": "U0CRASH", "ts": ts,
            "event_ts": ts, "thread_ts": thread, "text": text, "team": TEAM_ID,
            "channel_type": "channel"}


def new_secret() -> str:
    return secrets.token_hex(16)
