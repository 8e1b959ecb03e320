"""The Slack side: Bolt receives events, slack_sdk posts replies.

Only adapter/slack imports slack_bolt and slack_sdk. The bridge admits each event in
the ack path (the engine records it and drops duplicates), hands it to the engine after
the ack, and posts the engine's replies under each persona's name and icon.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import RandomJitter
from slack_sdk.web.async_client import AsyncWebClient

from ..errors import SlackRefusedError, SlackUnreachableError
from ..home import HomeView
from ..in_flight import InFlight
from ..message import IncomingClick, IncomingCommand, IncomingMessage, IncomingThread
from ..storage import Conversation
from .admission import Admission, AgentThreadsOnly, SameTokenWarning
from .delivery import Delivery, error_code
from .outbound import Outbound
from .translate import retired_blocks, to_click, to_command, to_thread_start

log = logging.getLogger("baton.slack")

SLACK_API_URL = "https://slack.com/api/"
DEFAULT_TIMEOUT = 10.0  # seconds for one Web API call
COMMAND = "/baton"  # who, restart, help; and release, for an agent
STALE_BUTTON = "This button no longer works: the question was answered already."
# Connection failures slack_sdk retries for calls other than posts (safe to repeat).
RETRIED_ERRORS: list[type[Exception]] = [aiohttp.ServerConnectionError,
                                         aiohttp.ServerDisconnectedError, aiohttp.ClientOSError,
                                         aiohttp.ClientConnectorError, TimeoutError]


class Handler(Protocol):
    """What the bridge hands events to (the engine)."""

    async def admit(self, message: IncomingMessage, *, event_id: str | None) -> bool: ...
    async def admit_click(self, click: IncomingClick) -> str:
        """"admitted", or why not: "used" (answered already) or "forged" (no dialog)."""
    async def handle(self, message: IncomingMessage) -> None: ...
    async def handle_click(self, click: IncomingClick) -> None: ...
    async def admit_command(self, command: IncomingCommand) -> bool: ...
    async def handle_command(self, command: IncomingCommand) -> None: ...
    async def admit_thread(self, thread: IncomingThread) -> bool: ...
    async def handle_thread(self, thread: IncomingThread) -> None: ...
    async def home(self, user: str, link: Callable[[Conversation], str | None]) -> HomeView:
        """What ``user``'s App Home shows."""


class SlackBridge:
    """One Bolt app wired to the engine: admits, deduplicates and dispatches messages;
    posts replies with the persona's name and icon."""

    def __init__(self, handler: Handler, in_flight: InFlight, *, token: str,
                 signing_secret: str | None, api_url: str = SLACK_API_URL,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self._handler = handler
        self._in_flight = in_flight
        self._token = token
        # One session for the app's life (a connection per API call costs ~1.4x), with the
        # timeout on it: slack_sdk's own is not applied to a session it is given.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))
        backoff = BackoffRetryIntervalCalculator(backoff_factor=0.25, jitter=RandomJitter())
        self.client = AsyncWebClient(
            token=token, base_url=api_url, session=self._session, timeout=int(timeout) or 1,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff,
                                                 error_types=RETRIED_ERRORS),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
                AsyncServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
            ])
        # Posts retry 429s only (never posted); any other failure may have posted, and
        # Delivery looks the reply up before trying again.
        poster = AsyncWebClient(token=token, base_url=api_url, session=self._session,
                                timeout=int(timeout) or 1,
                                retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
        self.delivery = Delivery(poster, self.client)
        self.outbound = Outbound(self.client, self.delivery, writer=poster)
        self._authorized: AuthorizeResult | None = None
        bolt_log = logging.getLogger("baton.bolt")
        if not any(isinstance(f, SameTokenWarning) for f in bolt_log.filters):
            bolt_log.addFilter(SameTokenWarning())
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            request_verification_enabled=signing_secret is not None,
            # The start-up auth.test answers for every event: Bolt would call it again on
            # the first one (twice, when a post's twin events race).
            authorize=self._authorizer(),
            logger=bolt_log,
        )
        self.bolt.middleware(Admission(handler, in_flight))
        self.bolt.event("app_mention")(self._dispatch)
        self.bolt.action(re.compile(r"^baton:"))(self._click)
        # Agent (assistant) threads through Bolt's Assistant: a new thread is greeted; the
        # user's messages in it take the same path as any other (admitted above).
        assistant = AsyncAssistant(logger=bolt_log)
        assistant.thread_started(self._thread_started)
        assistant.thread_context_changed(self._context_changed)
        assistant.user_message(self._dispatch)
        self.bolt.use(AgentThreadsOnly(assistant))
        self.bolt.event("message")(self._dispatch)
        self.bolt.command(COMMAND)(self._command)
        self.bolt.event("app_home_opened")(self._home)

    async def start(self) -> dict[str, Any]:
        """Check the token with auth.test; returns its answer with the granted ``scopes``.

        Raises ``SlackUnreachableError`` when Slack cannot be reached and
        ``SlackRefusedError`` when it refuses the token."""
        response = await self.checked(
            self.client.auth_test(), "bot token", "auth.test", "check SLACK_BOT_TOKEN.")
        self._authorized = AuthorizeResult.from_auth_test_response(
            auth_test_response=response, bot_token=self._token)
        self.outbound.workspace_url = str(response.get("url") or "")
        self.outbound.bot_user_id = response.get("user_id")
        return {**response.data, "scopes": response.headers.get("x-oauth-scopes", "")}

    def _authorizer(self) -> Callable[[], Awaitable[AuthorizeResult | None]]:
        # A plain function: Bolt reads its parameter names to decide what to pass.
        async def authorize() -> AuthorizeResult | None:
            return self._authorized

        return authorize

    async def checked(self, call: Awaitable[Any], credential: str, method: str,
                      fix: str) -> Any:
        """Await a start-up call, telling "Slack is unreachable" from "Slack said no"."""
        try:
            return await call
        except SlackApiError as error:
            status = error.response.status_code
            if status >= 500 or status == 429:  # Slack's side, not the credential
                raise SlackUnreachableError(self.client.base_url, f"{method} answered HTTP "
                                            f"{status}") from None
            raise SlackRefusedError(credential, method, error_code(error), fix) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            cause = str(error) or type(error).__name__
            raise SlackUnreachableError(self.client.base_url, cause) from None

    # --- the ack path -------------------------------------------------------------------

    async def _dispatch(self, context: AsyncBoltContext) -> None:
        message: IncomingMessage | None = context.get("baton_message")
        if message is None:
            return
        self._in_flight.attach(message.event_id, asyncio.current_task())
        try:
            await self._handler.handle(message)
        except Exception:
            log.exception("could not handle event %s", message.event_id)
        finally:
            self._in_flight.finish(message.event_id)

    async def _click(self, ack: Any, body: dict[str, Any]) -> None:
        """A click on a persona's button: ack, retire the buttons, run the persona's dialog.

        Only the first click on a question counts; a later one, or one naming a persona or
        an action that does not exist, gets a note only its clicker sees."""
        click = to_click(body)
        if click is None:
            await ack()
            return
        outcome = await self._handler.admit_click(click)
        self._in_flight.start(click.click_id)
        self._in_flight.attach(click.click_id, asyncio.current_task())
        await ack()
        try:
            if outcome != "admitted":
                await self._stale(click, outcome)
                return
            await self._retire(body, click)
            await self._handler.handle_click(click)
        except Exception:
            log.exception("could not handle click %s", click.click_id)
        finally:
            self._in_flight.finish(click.click_id)

    async def _thread_started(self, body: dict[str, Any]) -> None:
        """A new agent thread: recorded, then greeted by the entry persona (once)."""
        event_id = str(body.get("event_id"))
        try:
            thread = to_thread_start(body)
            if thread is not None and await self._handler.admit_thread(thread):
                await self._handler.handle_thread(thread)
        except Exception:
            log.exception("could not start agent thread %s", event_id)
        finally:
            self._in_flight.finish(event_id)

    async def _context_changed(self, body: dict[str, Any]) -> None:
        """The user moved to another channel beside the thread: nothing Baton keeps."""
        self._in_flight.finish(str(body.get("event_id")))

    async def _home(self, body: dict[str, Any]) -> None:
        """The user opened the app's Home tab: show them who helps with what."""
        event, event_id = body.get("event") or {}, str(body.get("event_id"))
        try:
            if event.get("tab") == "home" and isinstance(event.get("user"), str):
                view = await self._handler.home(event["user"], self.outbound.link)
                await self.outbound.publish_home(view)
        except Exception:
            log.exception("could not show the App Home of %s", event.get("user"))
        finally:
            self._in_flight.finish(event_id)

    async def _command(self, ack: Any, body: dict[str, Any]) -> None:
        """``/baton ...``: recorded before the ack, run after it (an agent's release)."""
        command = to_command(body)
        if command is None or not await self._handler.admit_command(command):
            await ack()
            return
        self._in_flight.start(command.command_id)
        self._in_flight.attach(command.command_id, asyncio.current_task())
        await ack()
        try:
            await self._handler.handle_command(command)
        except Exception:
            log.exception("could not handle command %s", command.command_id)
        finally:
            self._in_flight.finish(command.command_id)

    async def _retire(self, body: dict[str, Any], click: IncomingClick) -> None:
        """Replace the buttons with the choice; a failure must not lose the click."""
        message = body.get("message") if isinstance(body.get("message"), dict) else {}
        try:
            await self.client.chat_update(
                channel=click.channel, ts=click.message_ts,
                text=message.get("text") or click.label,
                blocks=retired_blocks(message, click.label, click.user))
        except Exception as error:  # the dialog still runs; the buttons merely stay
            log.warning("click %s: could not retire the buttons (%s)", click.click_id, error)

    async def _stale(self, click: IncomingClick, outcome: str) -> None:
        log.info("click %s on a question that %s", click.click_id,
                 "was answered already" if outcome == "used" else "no dialog answers")
        await self.outbound.whisper(click.channel, click.user, STALE_BUTTON, click.thread_ts)

    async def close(self) -> None:
        await self._session.close()
