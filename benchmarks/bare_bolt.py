"""The baseline app, run as its own process: bare Bolt answering each app_mention, and each
person's reply in a thread, with a threaded chat.postMessage, served by Bolt's own server
(what ``app.start()`` runs).

    python -m benchmarks.bare_bolt PORT      (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and
                                              BATON_SLACK_API_URL from the environment)
"""

from __future__ import annotations

import os
import sys

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def main(port: int) -> None:
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"],
                            base_url=os.environ["BATON_SLACK_API_URL"])
    bolt = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @bolt.event("app_mention")
    async def answer(event: dict, client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"],
                                      text="A plain reply from bare Bolt.")

    @bolt.event("message")
    async def follow_up(event: dict, client: AsyncWebClient) -> None:
        if event.get("thread_ts") and not event.get("subtype") and not event.get("bot_id"):
            await client.chat_postMessage(channel=event["channel"], thread_ts=event["thread_ts"],
                                          text="A reply in the thread from bare Bolt.")

    async def one_session(_: web.Application) -> None:
        # One session for the app's life, as Baton has (DESIGN.md: a connection per call
        # would cost Bolt ~1.4x); made on the server's own loop.
        client.session = aiohttp.ClientSession()

    server = bolt.server(port=port, path="/slack/events", host="127.0.0.1")
    server.web_app.on_startup.append(one_session)
    server.start()


if __name__ == "__main__":
    main(int(sys.argv[1]))
