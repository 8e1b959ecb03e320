"""Load for the scale benchmark: servers as child processes, and conversations talking to
them over HTTP, each waiting for its answer before it says the next thing (as people do).

A fake Slack Web API here takes every process's posts and wakes the conversation whose
thread each lands in. Events go to a group's processes in turn, as a load balancer sends
them. CPU is read from each process's /proc entry, peak memory from its VmHWM.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from adapter.slack.signing import signature
from adapter.testing.payloads import event_callback
from adapter.testing.web_api import BOT_USER_ID, TEAM_ID, TOKEN, Message, WebApi

ROOT = Path(__file__).resolve().parents[1]


class Workspace:
    """The fake Web API, waking whoever waits for an answer in a thread."""

    def __init__(self) -> None:
        self.api = WebApi()
        self.api.listeners.append(self._posted)
        self._waiting: dict[tuple[str, str], asyncio.Future[float]] = {}
        self.posts = 0

    def _posted(self, message: Message) -> None:
        if not message.from_app:
            return
        self.posts += 1
        waiter = self._waiting.pop((message.channel, message.thread_ts or ""), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    def forget(self) -> None:
        """Drop the messages and calls the fake Web API kept so far. A long run must not pay
        for its own history: kept, 40,000 messages doubled this process's CPU per message
        (its garbage collector walks them all), and the servers' answers queued behind it
        until their posts timed out."""
        self.api.messages.clear()
        self.api.calls.clear()

    def expect(self, channel: str, thread: str) -> asyncio.Future[float]:
        """A future set at the moment the next answer in that thread arrives."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiting[(channel, thread)] = waiter
        return waiter

    async def start(self) -> str:
        self.runner = web.AppRunner(self.api.routes(), access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0, backlog=2048).start()
        self.api.port = self.runner.addresses[0][1]
        return f"http://127.0.0.1:{self.api.port}/api/"

    async def stop(self) -> None:
        await self.runner.cleanup()


@dataclass
class Server:
    """One server process: bare Bolt or ``baton run --http``."""

    url: str
    child: asyncio.subprocess.Process
    log: Path

    @property
    def pid(self) -> int:
        return self.child.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    async def health(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        """Baton's /healthz, with its inbox's counters (bare Bolt has none: empty)."""
        try:
            async with session.get(self.url.replace("/slack/events", "/healthz")) as answer:
                return await answer.json() if answer.status == 200 else {}
        except aiohttp.ClientError:
            return {}

    async def stop(self) -> None:
        if self.child.returncode is None:
            self.child.terminate()
            await self.child.wait()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_env(api_url: str, secret: str, **settings: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    return {**base, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": secret,
            "BATON_SLACK_API_URL": api_url, "PYTHONPATH": str(ROOT), **settings}


async def start_server(command: list[str], env: dict[str, str], port: int,
                       log: Path) -> Server:
    """Start a server process; return once its port takes connections."""
    with log.open("wb") as out:
        child = await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT, stdout=out,
                                                     stderr=out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.returncode is not None:
            raise RuntimeError(f"{command} exited: {log.read_text()[-2000:]}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return Server(f"http://127.0.0.1:{port}/slack/events", child, log)
        except OSError:
            await asyncio.sleep(0.02)  # a benchmark harness polling a port, not a test
    raise RuntimeError(f"{command} did not listen on {port}: {log.read_text()[-2000:]}")


def baton_command(bots: str) -> list[str]:
    return [sys.executable, "-m", "adapter.cli", "run", "--http", "--bots", bots]


def bolt_command(port: int) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bare_bolt", str(port)]


@dataclass
class Level:
    """What one concurrency level measured on one group of servers."""

    conversations: int
    messages: int
    seconds: float
    latencies: list[float] = field(repr=False)
    cpu: list[float]  # seconds, per process
    health: list[dict[str, Any]]  # the change in each process's inbox counters
    postgres_cpu: float = 0.0  # seconds, every PostgreSQL server process together

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    def cpu_ms_per_message(self) -> list[float]:
        return [seconds * 1000 / self.messages for seconds in self.cpu]

    def share(self, *counters: str) -> float | None:
        """The seconds in ``counters`` (summed over processes) as a share of handling time,
        from claim to the end of each Run; None without inbox counters."""
        handling = sum(h.get("handling", 0.0) for h in self.health)
        if not handling:
            return None
        return sum(h.get(name, 0.0) for h in self.health for name in counters) / handling

    def wait_share(self) -> float | None:
        """Waits on the conversation's advisory lock (inside PostgreSQL) and for its lease
        (an entry whose conversation was busy, until it ran), over handling time."""
        return self.share("lock_wait", "lease_wait")


class Talk:
    """Conversations sending events to a group of servers in turn, signed as Slack does."""

    def __init__(self, workspace: Workspace, servers: list[Server], secret: str) -> None:
        self.workspace = workspace
        self.servers = servers
        self.secret = secret
        self._turn = 0
        self._ids = 0
        self._run = secrets.token_hex(3)

    def open(self) -> Talk:
        # No cap on connections: Slack opens as many as it needs.
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        return self

    async def close(self) -> None:
        await self.session.close()

    async def __aenter__(self) -> Talk:
        return self.open()

    async def __aexit__(self, *_: Any) -> None:
        await self.close()

    async def say(self, event: dict[str, Any]) -> None:
        self._ids += 1
        body = event_callback(event, f"Ev{self._run}{self._ids:08d}")
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": signature(self.secret, stamp, body)}
        server = self.servers[self._turn % len(self.servers)]
        self._turn += 1
        async with self.session.post(server.url, data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{server.url} answered HTTP {response.status}")

    async def conversation(self, channel: str, text: str, messages: int,
                           latencies: list[float]) -> None:
        """A new thread (a mention) and ``messages - 1`` replies in it, one at a time."""
        clock = self.workspace.api.clock
        root = clock.ts()
        for n in range(messages):
            ts = root if n == 0 else clock.ts()
            event: dict[str, Any] = {"type": "app_mention" if n == 0 else "message",
                                     "channel": channel, "user": "U0LOAD", "ts": ts,
                                     "event_ts": ts, "team": TEAM_ID,
                                     "text": f"<@{BOT_USER_ID}> {text}" if n == 0 else text}
            if n:
                event.update(thread_ts=root, channel_type="channel")
            answered = self.workspace.expect(channel, root)
            started = time.perf_counter()
            await self.say(event)
            latencies.append(await asyncio.wait_for(answered, 60) - started)

    async def level(self, conversations: int, messages: int, text: str = "plain please") -> Level:
        """``conversations`` at once, ``messages`` each; figures for the whole level."""
        self.workspace.forget()  # every level talks in new threads: nothing to look up
        latencies: list[float] = []
        before = [s.cpu_seconds() for s in self.servers]
        health = [await s.health(self.session) for s in self.servers]
        started = time.perf_counter()
        await asyncio.gather(*(self.conversation(f"C{self._run}{n:05d}", text, messages,
                                                 latencies) for n in range(conversations)))
        seconds = time.perf_counter() - started
        after = [await s.health(self.session) for s in self.servers]
        cpu = [s.cpu_seconds() - b for s, b in zip(self.servers, before, strict=True)]
        return Level(conversations, conversations * messages, seconds, latencies, cpu,
                     [_change(a, h) for a, h in zip(after, health, strict=True)])


def _change(after: dict[str, Any], before: dict[str, Any]) -> dict[str, float]:
    """The counters of /healthz (inbox and storage together) after less before."""
    flat = {**after.get("inbox", {}), **after.get("storage", {})}
    old = {**before.get("inbox", {}), **before.get("storage", {})}
    return {name: value - old.get(name, 0) for name, value in flat.items()}


def new_secret() -> str:
    return secrets.token_hex(16)
