"""A warm transfer next to a plain reply, and both next to bare Bolt, in one run.

Each sample is one new thread: a signed app_mention goes to the app, and the clock
stops when the answer (the receiver's, for a transfer) reaches the fake Slack API.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapter import App, Domain, Persona, Turn
from bots import ENTRY, PERSONAS

from .harness import EventSender, SignalingApi, summary, time_until_posts

TRAVEL = Domain("travel", {"book_flight": ["I need a flight", "book a flight"]})


def personas() -> list[Persona]:
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")
    travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                     domains=[TRAVEL])

    @router.dialog(pattern="plain*")
    async def plain(turn: Turn) -> None:
        await turn.say("A plain reply from the router.")

    @router.dialog(pattern="transfer*")
    async def hand_over(turn: Turn) -> None:
        await turn.transfer("travel", intent="travel.book_flight", message=turn.text)

    @travel.dialog(intent="travel.book_flight")
    async def flight(turn: Turn) -> None:
        await turn.say("Where are you flying from?")

    return [router, travel]


async def bare_bolt(api_url: str, secret: str, token: str) -> tuple[web.AppRunner, str, Any]:
    """The baseline: Bolt alone, answering an app_mention with a threaded chat.postMessage."""
    session = aiohttp.ClientSession()
    bolt = AsyncApp(client=AsyncWebClient(token=token, base_url=api_url, session=session),
                    signing_secret=secret)

    @bolt.event("app_mention")
    async def answer(event: dict, client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"],
                                      text="A plain reply from bare Bolt.")

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post("/slack/events", events)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/slack/events", session


async def measure(rounds: int = 400, warmup: int = 40) -> dict[str, dict[str, float]]:
    api = SignalingApi()
    api_runner, api_url = await api.serve()
    secret = secrets.token_hex(16)
    bolt_runner, bolt_url, bolt_session = await bare_bolt(api_url, secret, api.token)
    with tempfile.TemporaryDirectory() as folder:
        app = App(personas=personas(), entry="router", db=Path(folder) / "bench.db",
                  slack_api_url=api_url)
        port = await app.start_http(0, token=api.token, signing_secret=secret)
        baton = EventSender(f"http://127.0.0.1:{port}/slack/events", secret)
        bare = EventSender(bolt_url, secret)
        # The shipped helpdesk: the router classifies, then transfers with intent + message.
        helpdesk = App(personas=PERSONAS, entry=ENTRY, db=Path(folder) / "helpdesk.db",
                       slack_api_url=api_url)
        helpdesk_port = await helpdesk.start_http(0, token=api.token, signing_secret=secret)
        routed = EventSender(f"http://127.0.0.1:{helpdesk_port}/slack/events", secret)
        cases = {
            "bare Bolt reply": (lambda: bare.mention("hello"), 1),
            "Baton plain reply": (lambda: baton.mention("plain please"), 1),
            "Baton transfer (receiver's reply)": (lambda: baton.mention("transfer please"), 1),
            "shipped router: classify + transfer": (
                lambda: routed.mention("when do salaries get paid this month?"), 1),
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for i in range(warmup + rounds):
            for name, (send, posts) in cases.items():  # interleaved: noise hits all alike
                seconds = await time_until_posts(api, send, posts)
                if i >= warmup:
                    samples[name].append(seconds)
        for running in (app, helpdesk):
            await running.in_flight.wait_all()
            await running.stop()
            running.close()
        for sender in (baton, bare, routed):
            await sender.close()
    await bolt_runner.cleanup()
    await bolt_session.close()
    await api_runner.cleanup()
    return {name: summary(values) for name, values in samples.items()}


def report(results: dict[str, dict[str, float]]) -> str:
    bare = results["bare Bolt reply"]["median_ms"]
    plain = results["Baton plain reply"]["median_ms"]
    transfer = results["Baton transfer (receiver's reply)"]["median_ms"]
    lines = ["| case | median ms | p95 ms | median vs bare Bolt |", "|---|---|---|---|"]
    for name, figures in results.items():
        lines.append(f"| {name} | {figures['median_ms']:.2f} | {figures['p95_ms']:.2f} | "
                     f"{figures['median_ms'] / bare:.2f}x |")
    lines.append("")
    lines.append(f"Transfer / plain reply (median): **{transfer / plain:.2f}x** (target <= 1.5x)")
    routed = results.get("shipped router: classify + transfer")
    if routed:
        lines.append(f"Shipped router, classification included / plain reply (median): "
                     f"{routed['median_ms'] / plain:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(asyncio.run(measure())))
