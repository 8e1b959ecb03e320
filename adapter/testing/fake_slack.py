"""FakeSlack: Slack's Web API on loopback, and an event sender signing requests as Slack does."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from typing import Any

import aiohttp
from aiohttp import web

from ..drivable import AppUnderTest
from ..slack.signing import signature as slack_signature
from ..text import escape
from .conversation import Conversation
from .errors import FakeSlackError
from .faults import Fault
from .payloads import block_actions, echo_event, event_callback, slash_command, user_events
from .socket_link import SocketLink
from .web_api import BOT_ID, BOT_USER_ID, TEAM_ID, ApiCall, Clock, Message, WebApi


class FakeSlack:
    """Slack's Web API on loopback plus an event sender signing requests like Slack does.

    The app serves HTTP mode on loopback, so every event passes Bolt's request
    verification. Strict: a call to a method FakeSlack does not implement, or a
    missing argument, raises ``FakeSlackError`` naming the method.
    """

    def __init__(self, app: AppUnderTest, *, socket_mode: bool = False) -> None:
        self.app = app
        self.api = WebApi()
        self.socket = SocketLink() if socket_mode else None
        self.team_id, self.bot_user_id, self.bot_id = TEAM_ID, BOT_USER_ID, BOT_ID
        self.signing_secret = secrets.token_hex(16)
        self._event_ids = itertools.count(1)
        self._run_id = secrets.token_hex(4).upper()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._conversations: list[Conversation] = []
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
        # A stalled call must not hold the shutdown: stalls end when FakeSlack closes.
        self._runner = web.AppRunner(routes, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self.api.port = self._runner.addresses[0][1]
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
        self.api.faults.closing.set()
        await self.app.stop()
        if self.socket is not None:
            await self.socket.close()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if exc_info[0] is None:
            self.check()

    def fail(self, method: str, *, status: int | None = None, error: str | None = None,
             retry_after: float | None = None, drop_after_send: bool = False,
             stall: float | None = None, times: int = 1, after: int = 0) -> None:
        """Make the next ``times`` calls of Web API ``method`` fail, as Slack can:

        ``status=503`` (an HTTP status), ``retry_after=1`` (a 429 rate limit),
        ``error="internal_error"`` (``ok: false``), ``drop_after_send=True`` (Slack does
        it, then the connection drops before the answer), or ``stall=40`` (no answer for
        40 seconds, then a 503; nothing done). ``after=n`` lets n calls through first.
        Faults queue up in the order given.
        """
        self.api.faults.add(method, Fault(status=status, error=error, retry_after=retry_after,
                                          drop_after_send=drop_after_send, stall=stall,
                                          times=times, after=after))

    @property
    def ephemeral(self) -> list[Message]:
        """Messages the app showed one user only (chat.postEphemeral; ``username`` is the
        user)."""
        return self.api.ephemeral

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
        self._conversations.append(convo)
        return convo

    async def agent_thread(self, user: str = "U0USER001") -> Conversation:
        """``user`` opens a new agent (assistant) thread with the app, in their DM; returns
        the conversation once the app has greeted it."""
        convo = Conversation(self, user=user, channel="D" + user.lstrip("U"), is_dm=True,
                             agent=True)
        convo.thread_ts = self.clock.ts()
        self._conversations.append(convo)
        await self.send_event({"type": "assistant_thread_started", "event_ts": convo.thread_ts,
                               "assistant_thread": {"user_id": user, "channel_id": convo.channel,
                                                    "thread_ts": convo.thread_ts,
                                                    "context": {}}})
        return convo

    def dm(self, user: str = "U0USER001", *, thread_ts: str | None = None) -> Conversation:
        """The user's direct-message channel with the app; with ``thread_ts``, an agent
        thread there (opened before, by ``agent_thread``)."""
        convo = Conversation(self, user=user, channel="D" + user.lstrip("U"), is_dm=True,
                             agent=thread_ts is not None)
        convo.thread_ts = thread_ts
        self._conversations.append(convo)
        return convo

    async def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
        settle: bool = True,
    ) -> str:
        """Deliver one Events API event as Slack does; returns once the app handled it."""
        # Unique across FakeSlack instances, like Slack's: the app remembers event ids.
        event_id = event_id or f"Ev{self._run_id}{next(self._event_ids):06d}"
        status = await self.deliver(event_callback(event, event_id), retry_num=retry_num)
        if status != 200:
            raise FakeSlackError(f"the app answered event {event_id} with HTTP {status}")
        await self.app.in_flight.wait(event_id)
        if settle:
            await self.settle()
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
        await self.settle()

    async def slash_command(self, text: str, *, user: str, channel: str,
                            command: str = "/baton") -> None:
        """``user`` types ``/baton text`` in ``channel``; returns once the app handled it.
        (Slack sends no thread with a command: the channel says which conversation.)"""
        trigger_id = f"trigger.{self.clock.ts()}"
        status = await self.deliver(slash_command(command, text, user, channel, trigger_id),
                                    content_type="application/x-www-form-urlencoded")
        if status != 200:
            raise FakeSlackError(f"the app answered {command} {text!r} with HTTP {status}")
        await self.app.in_flight.wait(f"command:{trigger_id}")
        await self.settle()

    async def advance(self, seconds: float) -> None:
        """Move time on by ``seconds`` for Slack and for the app, and let the app do what
        came due meanwhile (a human team's wait that ended); returns once it has."""
        self.clock.advance(seconds)
        await self.app.run_due(time.time() + self.clock.offset)
        await self.settle()

    async def open_home(self, user: str = "U0USER001") -> dict[str, Any]:
        """``user`` opens the app's Home tab; returns the view the app published."""
        ts = self.clock.ts()
        await self.send_event({"type": "app_home_opened", "user": user, "tab": "home",
                               "channel": "D" + user.lstrip("U"), "event_ts": ts})
        if user not in self.api.homes:
            raise FakeSlackError(f"the app published no App Home for {user}.")
        return self.api.homes[user]

    def channel(self, channel: str) -> list[Message]:
        """The top-level messages of a channel (a team's handoff cards), oldest first."""
        return [m for m in self.api.messages if m.channel == channel
                and m.thread_ts in (None, m.ts)]

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
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature if signature is not None else slack_signature(
                self.signing_secret, stamp, body),
        }
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num),
                            "X-Slack-Retry-Reason": "http_timeout"})
        async with self._session.post(self.events_url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def post_as_user(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None,
        is_dm: bool = False, mention: bool = False, raw: bool = False, settle: bool = True,
    ) -> Message:
        """A person posts; the app gets the events Slack would send (app_mention and message)."""
        wire = text if raw else escape(text)
        if mention:
            wire = f"<@{BOT_USER_ID}> {wire}"
        message = Message(channel, self.clock.ts(), wire, user=user, thread_ts=thread_ts)
        self.api.record(message)
        events = user_events(message, is_dm=is_dm, mention=mention)
        await asyncio.gather(*(self.send_event(e, settle=False) for e in events))
        if settle:
            await self.settle()
        return message

    async def settle(self) -> None:
        """After the app handled something: check its Web API calls, and read each
        conversation's owner and ledger again."""
        self.check()
        for convo in self._conversations:
            await convo.refresh()

    def echo_of(self, message: Message) -> dict[str, Any]:
        """The message event Slack sends the app about one of the app's own posts."""
        return echo_event(message)
