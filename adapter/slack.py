"""The Slack side: Bolt receives events, slack_sdk posts replies. The only module importing them."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Sequence
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from .conversations import Conversation
from .errors import SlackRefusedError, SlackUnreachableError
from .events import InFlight, ProcessedEvents
from .message import IncomingClick, IncomingMessage
from .persona import Button, Persona
from .text import escape, plain_text

log = logging.getLogger("baton.slack")

SLACK_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
# Subtypes that are still a person talking; edits, deletions, joins and bots are not.
_USER_SUBTYPES = {None, "file_share", "thread_broadcast"}


def to_message(body: dict[str, Any], bot_user_id: str | None) -> IncomingMessage | None:
    """The user message in an Events API body, or None when Baton should not answer it."""
    event = body.get("event") or {}
    kind = event.get("type")
    if kind not in ("app_mention", "message") or event.get("subtype") not in _USER_SUBTYPES:
        return None
    user = event.get("user")
    if not user or user == bot_user_id or event.get("bot_id") or event.get("bot_profile"):
        return None
    channel = event.get("channel", "")
    is_dm = event.get("channel_type") == "im" or (kind == "app_mention" and channel[:1] == "D")
    raw_text = event.get("text") or ""
    mentioned = kind == "app_mention" or (bool(bot_user_id) and f"<@{bot_user_id}" in raw_text)
    thread_ts = event.get("thread_ts")
    if thread_ts == event.get("ts"):
        thread_ts = None
    if not is_dm and not mentioned and thread_ts is None:
        return None  # channel chatter that is not for us
    return IncomingMessage(
        event_id=body.get("event_id") or f"{channel}:{event.get('ts')}",
        team=body.get("team_id") or event.get("team") or "",
        channel=channel,
        user=user,
        text=plain_text(raw_text, bot_user_id),
        ts=event["ts"],
        thread_ts=thread_ts,
        is_dm=is_dm,
        mentioned=mentioned,
    )


def button_blocks(text: str, persona: Persona, buttons: Sequence[Button]) -> list[dict]:
    """A section with the (escaped) text and an actions block with the buttons."""
    elements = []
    for index, button in enumerate(buttons):
        element = {"type": "button", "text": {"type": "plain_text", "text": button.label},
                   # action ids are unique in a message; the index keeps them so.
                   "action_id": f"baton:{persona.name}:{button.action}:{index}",
                   "value": button.value}
        if button.style:
            element["style"] = button.style
        elements.append(element)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "baton_buttons", "elements": elements}]


def to_click(body: dict[str, Any]) -> IncomingClick | None:
    """The click in a block_actions payload, or None when it is not one of ours."""
    actions = body.get("actions") or []
    container = body.get("container") or {}
    if not actions or container.get("type") != "message":
        return None
    action = actions[0]
    parts = action.get("action_id", "").split(":")
    if len(parts) != 4:
        return None
    channel = container.get("channel_id", "")
    message = body.get("message") or {}
    thread_ts = container.get("thread_ts") or message.get("thread_ts")
    return IncomingClick(
        click_id=f"click:{channel}:{action.get('action_ts', '')}",
        team=(body.get("team") or {}).get("id") or body["user"].get("team_id", ""),
        channel=channel,
        user=body["user"]["id"],
        persona=parts[1],
        action=parts[2],
        label=(action.get("text") or {}).get("text", ""),
        value=action.get("value", ""),
        message_ts=container.get("message_ts", ""),
        thread_ts=thread_ts if thread_ts != container.get("message_ts") else None,
        is_dm=channel.startswith("D"),
    )


class _SameTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it is the
    same token, given to one client that shares the app's connection pool."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class SlackBridge:
    """One Bolt app wired to the engine: admits, deduplicates and dispatches messages;
    posts replies with the persona's name and icon."""

    def __init__(
        self,
        engine: Any,
        processed: ProcessedEvents,
        in_flight: InFlight,
        *,
        token: str,
        signing_secret: str | None,
        api_url: str = SLACK_API_URL,
    ) -> None:
        self._engine = engine
        self._processed = processed
        self._in_flight = in_flight
        # One session for the app's life: a connection per API call costs ~1.4x.
        self._session = aiohttp.ClientSession()
        self.client = AsyncWebClient(
            token=token,
            base_url=api_url,
            session=self._session,
            retry_handlers=[AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler()],
        )
        bolt_log = logging.getLogger("baton.bolt")
        if not any(isinstance(f, _SameTokenWarning) for f in bolt_log.filters):
            bolt_log.addFilter(_SameTokenWarning())
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            request_verification_enabled=signing_secret is not None,
            logger=logging.getLogger("baton.bolt"),
        )
        self.bolt.middleware(self._admit)
        self.bolt.event("app_mention")(self._dispatch)
        self.bolt.event("message")(self._dispatch)
        self.bolt.action(re.compile(r"^baton:"))(self._click)
        self._runner: web.AppRunner | None = None
        self._socket: Any = None

    async def start(self) -> dict[str, Any]:
        """Check the token with auth.test; returns its answer with the granted ``scopes``.

        Raises ``SlackUnreachableError`` when Slack cannot be reached and
        ``SlackRefusedError`` when it refuses the token."""
        response = await self._checked(
            self.client.auth_test(), "bot token", "auth.test", "check SLACK_BOT_TOKEN.")
        # Hand the answer to Bolt's single-workspace authorization, which would otherwise
        # call auth.test on the first event (twice, when a post's twin events race).
        for middleware in self.bolt._async_middleware_list:
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = response
        return {**response.data, "scopes": response.headers.get("x-oauth-scopes", "")}

    async def _admit(self, body: dict[str, Any], context: AsyncBoltContext, next: Any) -> Any:
        """Ack path: decide, deduplicate, and register the message; nothing slow here."""
        if body.get("type") != "event_callback":
            return await next()
        message = to_message(body, context.bot_user_id)
        if message is None:
            return BoltResponse(status=200, body="")
        keys = [f"post:{message.team}:{message.channel}:{message.ts}"]
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if not self._processed.claim(*keys):
            log.debug("duplicate delivery dropped: %s", message.event_id)
            return BoltResponse(status=200, body="")
        context["baton_message"] = message
        self._in_flight.start(message.event_id)
        return await next()

    async def _dispatch(self, context: AsyncBoltContext) -> None:
        message: IncomingMessage | None = context.get("baton_message")
        if message is None:
            return
        try:
            await self._engine.handle(message)
        except Exception:
            log.exception("could not handle event %s", message.event_id)
        finally:
            self._in_flight.finish(message.event_id)

    async def _click(self, ack: Any, body: dict[str, Any]) -> None:
        """A click on a persona's button: ack, retire the buttons, run the persona's dialog."""
        click = to_click(body)
        if click is None or not self._processed.claim(f"click:{click.channel}:{click.message_ts}"):
            await ack()  # one answer per question: later clicks on it are ignored
            return
        self._in_flight.start(click.click_id)
        await ack()
        try:
            await self._retire_buttons(body, click.label)
            await self._engine.handle_click(click)
        except Exception:
            log.exception("could not handle click %s", click.click_id)
        finally:
            self._in_flight.finish(click.click_id)

    async def _retire_buttons(self, body: dict[str, Any], label: str) -> None:
        """Replace the buttons with the choice, so the question reads as answered."""
        message = body.get("message") or {}
        blocks = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"{escape(label)} (chosen by <@{body['user']['id']}>)"}]})
        await self.client.chat_update(channel=body["container"]["channel_id"],
                                      ts=body["container"]["message_ts"],
                                      text=message.get("text") or label, blocks=blocks)

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (),
    ) -> None:
        """chat.postMessage in the conversation, as the persona (chat:write.customize)."""
        args: dict[str, Any] = {
            "channel": conversation.channel,
            "text": escape(text),
            "username": persona.display_name,
            "metadata": {"event_type": "baton_reply", "event_payload": metadata},
        }
        if buttons:
            args["blocks"] = button_blocks(args["text"], persona, buttons)
        if conversation.thread_ts:
            args["thread_ts"] = conversation.thread_ts
        if persona.icon:
            args["icon_url" if persona.icon.startswith("http") else "icon_emoji"] = persona.icon
        await self.client.chat_postMessage(**args)

    async def _checked(self, call: Awaitable[Any], credential: str, method: str,
                       fix: str) -> Any:
        """Await a start-up call, telling "Slack is unreachable" from "Slack said no"."""
        try:
            return await call
        except SlackApiError as error:
            status = error.response.status_code
            if status >= 500 or status == 429:  # Slack's side, not the credential
                raise SlackUnreachableError(self.client.base_url, f"{method} answered HTTP "
                                            f"{status}") from None
            raise SlackRefusedError(credential, method, str(error.response.get("error")),
                                    fix) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            cause = str(error) or type(error).__name__
            raise SlackUnreachableError(self.client.base_url, cause) from None

    # --- serving ------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """An aiohttp app with the Events API endpoint and a health check."""

        async def events(request: web.Request) -> web.Response:
            response = await self.bolt.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(response)

        async def healthz(_: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(EVENTS_PATH, events)
        app.router.add_get("/healthz", healthz)
        return app

    async def serve_http(self, host: str, port: int) -> int:
        """Serve the Events API over HTTP; returns the bound port (useful with port 0)."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def connect_socket_mode(self, app_token: str) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        # slack_sdk retries a refused connection forever; ask once first, to fail clearly.
        await self._checked(
            self.client.apps_connections_open(app_token=app_token), "app token",
            "apps.connections.open", "check SLACK_APP_TOKEN: an app-level token (xapp-...) with "
            "the connections:write scope, from your app's Basic Information page.")
        self._socket = AsyncSocketModeHandler(self.bolt, app_token, web_client=self.client)
        await self._socket.connect_async()

    async def stop_serving(self) -> None:
        """Stop taking events; listeners already running go on."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        await self.stop_serving()
        await self._session.close()
