"""The ack path of the Slack side: each event admitted (recorded, duplicates dropped)
before Bolt acks it; Bolt's Assistant asked only about agent-thread events; and a filter
for a warning of Bolt's that does not apply."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import (
    is_assistant_event,
    is_other_message_sub_event_in_assistant_thread,
)
from slack_bolt.response import BoltResponse

from ..in_flight import InFlight
from ..message import IncomingMessage
from .translate import to_message

log = logging.getLogger("baton.slack")
# Events that are not messages, passed on to their own listeners.
PASSED_ON = ("app_home_opened", "assistant_thread_started", "assistant_thread_context_changed")


class Admitting(Protocol):
    """What admission needs of the engine's side."""

    async def admit(self, message: IncomingMessage, *, event_id: str | None) -> bool: ...


class SameTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our authorize wins; it is the same
    token, given to one client that shares the app's connection pool."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "`token` will be unused" not in message and "will be ignored" not in message


class Admission(AsyncMiddleware):
    """The ack path: decide, record (dropping duplicates), and register the message.

    A middleware class, not a function: Bolt then passes its arguments directly instead of
    reading the function's parameter names on every event."""

    def __init__(self, handler: Admitting, in_flight: InFlight) -> None:
        self._handler = handler
        self._in_flight = in_flight

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        body = req.body
        if body.get("type") != "event_callback":
            return await next()
        if (body.get("event") or {}).get("type") in PASSED_ON:
            self._in_flight.start(str(body.get("event_id")))  # tests wait for its outcome
            return await next()
        message = to_message(body, req.context.bot_user_id)
        if message is None:
            return BoltResponse(status=200, body="")
        if not await self._handler.admit(message, event_id=body.get("event_id")):
            log.debug("duplicate delivery dropped: %s", message.event_id)
            return BoltResponse(status=200, body="")
        req.context["baton_message"] = message
        self._in_flight.start(message.event_id)
        return await next()


class AgentThreadsOnly(AsyncMiddleware):
    """Bolt's Assistant, asked only about the events it can handle (by Bolt's own tests):
    otherwise it matches each of its listeners against every request, a cost every
    channel message would pay."""

    def __init__(self, assistant: AsyncMiddleware) -> None:
        self.assistant = assistant

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]],
                            ) -> BoltResponse | None:
        if is_assistant_event(req.body) or is_other_message_sub_event_in_assistant_thread(
                req.body):
            return await self.assistant.async_process(req=req, resp=resp, next=next)
        return await next()
