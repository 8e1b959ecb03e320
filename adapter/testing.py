"""Test personas against a fake Slack that runs the real Bolt and slack_sdk code.

    async with FakeSlack(app) as slack:
        convo = slack.conversation(user="U1", channel="C1")
        await convo.user_says("I need a flight to Oslo")   # returns once handled
        assert convo.replies[-1] == Reply("travel", "Where are you flying from?")

Also a pytest plugin: define an ``app`` fixture and use the ``slack`` fixture.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from .fake_events import block_actions, echo_event, event_callback, user_events
from .fake_slack import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    ApiCall,
    Clock,
    FakeSlackError,
    Message,
    WebApi,
)
from .fake_socket import SocketLink
from .text import escape, unescape

if TYPE_CHECKING:
    from .app import App

__all__ = ["ApiCall", "Conversation", "FakeSlack", "FakeSlackError", "Reply", "Transfer"]


@dataclass(frozen=True)
class Reply:
    """A persona's message as the user sees it: who said it, and the text."""

    persona: str
    text: str


@dataclass(frozen=True)
class Transfer:
    """One ledger row of a conversation."""

    id: str
    status: str
    reason: str | None
    from_persona: str
    to_persona: str | None
    skill: str
    intent_id: str | None
    message: str | None
    kind: str
    resolution: str | None
    event_id: str | None
    created_at: float

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Transfer:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


class FakeSlack:
    """Slack's Web API on loopback plus an event sender signing requests like Slack does.

    The app serves HTTP mode on loopback, so every event passes Bolt's request
    verification. Strict: a call to a method FakeSlack does not implement, or a
    missing argument, raises ``FakeSlackError`` naming the method.
    """

    def __init__(self, app: App, *, socket_mode: bool = False) -> None:
        self.app = app
        self.api = WebApi()
        self.socket = SocketLink() if socket_mode else None
        self.team_id, self.bot_user_id, self.bot_id = TEAM_ID, BOT_USER_ID, BOT_ID
        self.signing_secret = secrets.token_hex(16)
        self._event_ids = itertools.count(1)
        self._run_id = secrets.token_hex(4).upper()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.api_url = ""
        self.events_url = ""

    @property
    def clock(self) -> Clock:
        return self.api.clock

    @property
    def calls(self) -> list[ApiCall]:
        """Every Web API call the app made, in order."""
        return self.api.calls

    @property
    def messages(self) -> list[Message]:
        return self.api.messages

    async def __aenter__(self) -> FakeSlack:
        routes = self.api.routes()
        if self.socket is not None:
            self.socket.add_route(routes)
        self._runner = web.AppRunner(routes, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.api_url = f"http://127.0.0.1:{port}/api/"
        self.app.slack_api_url = self.api_url
        self._session = aiohttp.ClientSession()
        if self.socket is not None:
            self.api.socket_url = f"ws://127.0.0.1:{port}/link"
            await self.app.start_socket_mode(token=self.api.token, app_token=self.api.app_token)
            await self.socket.connected.wait()
            return self
        app_port = await self.app.start_http(
            0, "127.0.0.1", token=self.api.token, signing_secret=self.signing_secret
        )
        self.events_url = f"http://127.0.0.1:{app_port}/slack/events"
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.app.stop()
        if self.socket is not None:
            await self.socket.close()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if exc_info[0] is None:
            self.check()

    def check(self) -> None:
        """Raise ``FakeSlackError`` for any call real Slack would have refused."""
        problems = self.api.take_problems()
        if problems:
            raise FakeSlackError("\n".join(problems))

    # --- people talking ---------------------------------------------------------------

    def conversation(
        self, user: str = "U0USER001", channel: str = "C0GENERAL", *, thread_ts: str | None = None
    ) -> Conversation:
        """A new thread in a channel (its first message mentions the app), or the
        existing thread ``thread_ts``, e.g. to carry on after an app restart."""
        convo = Conversation(self, user=user, channel=channel, is_dm=False)
        convo.thread_ts = thread_ts
        return convo

    def dm(self, user: str = "U0USER001") -> Conversation:
        """The user's direct-message channel with the app."""
        return Conversation(self, user=user, channel="D" + user.lstrip("U"), is_dm=True)

    async def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> str:
        """Deliver one Events API event as Slack does; returns once the app handled it."""
        # Unique across FakeSlack instances, like Slack's: the app remembers event ids.
        event_id = event_id or f"Ev{self._run_id}{next(self._event_ids):06d}"
        status = await self.deliver(event_callback(event, event_id), retry_num=retry_num)
        if status != 200:
            raise FakeSlackError(f"the app answered event {event_id} with HTTP {status}")
        await self.app.in_flight.wait(event_id)
        self.check()
        return event_id

    async def click(self, message: Message, label: str, *, user: str = "U0USER001") -> None:
        """The user clicks the button ``label`` under ``message``; returns once handled."""
        button = next((b for b in message.buttons if b["text"]["text"] == label), None)
        if button is None:
            labels = [b["text"]["text"] for b in message.buttons]
            raise FakeSlackError(f"no button {label!r} under that message (buttons: {labels}).")
        action_ts = self.clock.ts()
        status = await self.deliver(block_actions(message, button, user, action_ts),
                                    content_type="application/x-www-form-urlencoded")
        if status != 200:
            raise FakeSlackError(f"the app answered a click with HTTP {status}")
        await self.app.in_flight.wait(f"click:{message.channel}:{action_ts}")
        self.check()

    async def deliver(
        self, body: str, *, retry_num: int | None = None, timestamp: int | None = None,
        signature: str | None = None, content_type: str = "application/json",
    ) -> int:
        """POST a raw body to the app's Events API endpoint, signed unless told otherwise
        (in Socket Mode: send it over the WebSocket and wait for the app's ack)."""
        assert self._session is not None, "use FakeSlack inside 'async with'"
        if self.socket is not None:
            return await self.socket.deliver(body, content_type)
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        verifier = SignatureVerifier(self.signing_secret)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature if signature is not None else (
                verifier.generate_signature(timestamp=stamp, body=body) or ""),
        }
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num),
                            "X-Slack-Retry-Reason": "http_timeout"})
        async with self._session.post(self.events_url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def post_as_user(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None,
        is_dm: bool = False, mention: bool = False, raw: bool = False,
    ) -> Message:
        """A person posts; the app gets the events Slack would send (app_mention and message)."""
        wire = text if raw else escape(text)
        if mention:
            wire = f"<@{BOT_USER_ID}> {wire}"
        message = Message(channel, self.clock.ts(), wire, user=user, thread_ts=thread_ts)
        self.api.record(message)
        events = user_events(message, is_dm=is_dm, mention=mention)
        await asyncio.gather(*(self.send_event(e) for e in events))
        return message

    def echo_of(self, message: Message) -> dict[str, Any]:
        """The message event Slack sends the app about one of the app's own posts."""
        return echo_event(message)


class Conversation:
    """One person's thread (or DM) with the app, as a transcript."""

    def __init__(self, slack: FakeSlack, *, user: str, channel: str, is_dm: bool) -> None:
        self.slack = slack
        self.user = user
        self.channel = channel
        self.is_dm = is_dm
        self.thread_ts: str | None = None  # root of the thread, once started
        self._since = slack.clock.ts()

    async def click(self, label: str) -> None:
        """Click the button ``label`` under the app's latest message in this conversation."""
        with_buttons = [m for m in self._app_messages() if m.buttons]
        if not with_buttons:
            raise FakeSlackError("no message with buttons in this conversation.")
        await self.slack.click(with_buttons[-1], label, user=self.user)

    async def user_says(self, text: str, *, mention: bool = False,
                        raw: bool = False) -> Message:
        """The user posts ``text``; returns once the app has finished answering it.

        In a channel the first message mentions the app and starts the thread; later ones
        are thread replies. ``raw=True`` sends ``text`` without Slack's escaping, e.g. to
        include ``<!channel>`` or ``<@U123>`` tokens.
        """
        first = self.thread_ts is None and not self.is_dm
        message = await self.slack.post_as_user(
            self.user, self.channel, text, thread_ts=self.thread_ts, is_dm=self.is_dm,
            mention=first or mention, raw=raw,
        )
        if first:
            self.thread_ts = message.ts
        return message

    def _app_messages(self) -> list[Message]:
        return [
            m for m in self.slack.messages
            if m.from_app and m.channel == self.channel and float(m.ts) > float(self._since)
            and (self.is_dm or m.thread_ts == self.thread_ts)
        ]

    @property
    def replies(self) -> list[Reply]:
        """The app's messages in this conversation, oldest first."""
        return [
            Reply(((m.metadata or {}).get("event_payload") or {}).get("persona", "?"),
                  unescape(m.text))
            for m in self._app_messages()
        ]

    @property
    def posts(self) -> list[Message]:
        """The app's messages as Slack received them (escaped text, username, icon, metadata)."""
        return self._app_messages()

    @property
    def id(self) -> str | None:
        found = self.slack.app.engine.conversations.latest(TEAM_ID, self.channel, self.thread_ts)
        return found.id if found else None

    @property
    def owner(self) -> str | None:
        """The persona that will answer the next message."""
        found = self.slack.app.engine.conversations.latest(TEAM_ID, self.channel, self.thread_ts)
        return found.owner if found else None

    @property
    def transfers(self) -> list[Transfer]:
        """This conversation's ledger rows, oldest first."""
        conversation_id = self.id
        if conversation_id is None:
            return []
        return [Transfer.from_row(row) for row in self.slack.app.transfers(conversation_id)]


# --- pytest plugin (registered through the pytest11 entry point) ---------------------------
# The playground uses FakeSlack without the test extras installed: define the fixture
# only where pytest-asyncio is there to run it.
try:
    import pytest_asyncio
except ImportError:
    pytest_asyncio = None

if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def slack(app: App) -> Any:
        """A running FakeSlack around your ``app`` fixture."""
        async with FakeSlack(app) as fake:
            yield fake
