"""Faults FakeSlack can inject into the Web API: ``slack.fail("chat.postMessage", ...)``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from .errors import FakeSlackError


@dataclass
class Fault:
    """What the next matching calls get instead of Slack's answer."""

    status: int | None = None  # an HTTP status (429, 500, 503...)
    error: str | None = None  # HTTP 200 with {"ok": false, "error": error}
    retry_after: float | None = None  # a 429 with this Retry-After header
    drop_after_send: bool = False  # Slack records the call, then the connection drops
    stall: float | None = None  # no answer for this many seconds, then a 503; no effect
    times: int = 1
    after: int = 0  # let this many calls through first

    def __post_init__(self) -> None:
        given = [self.status is not None, self.error is not None, self.retry_after is not None,
                 self.drop_after_send, self.stall is not None]
        if sum(given) != 1:
            raise FakeSlackError("slack.fail(...) takes one of status=, error=, retry_after=, "
                                 "drop_after_send=True or stall=seconds.")
        if self.times < 1:
            raise FakeSlackError(f"slack.fail(..., times={self.times!r}): give 1 or more.")


Answer = Callable[[], Awaitable[web.StreamResponse]]


class FaultSwitch:
    """Faults waiting for their calls, per Web API method, applied in order."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self.closing = asyncio.Event()  # set when FakeSlack stops: stalls end at once

    def add(self, method: str, fault: Fault) -> None:
        self._faults.setdefault(method, []).append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault for this call of ``method``, if one waits (each counts down)."""
        waiting = self._faults.get(method)
        if not waiting:
            return None
        fault = waiting[0]
        if fault.after > 0:
            fault.after -= 1
            return None
        fault.times -= 1
        if fault.times == 0:
            waiting.pop(0)
        return fault

    async def apply(self, fault: Fault, request: web.Request, answer: Answer
                    ) -> web.StreamResponse:
        """Answer one call as the fault says (``answer`` is what Slack would have done)."""
        if fault.stall is not None:
            try:
                await asyncio.wait_for(self.closing.wait(), fault.stall)
            except TimeoutError:
                pass
            return web.Response(status=503, text="Service Unavailable")
        if fault.status == 429 or fault.retry_after is not None:
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(fault.retry_after or 1)})
        if fault.status is not None:
            return web.Response(status=fault.status, text="Slack is having trouble")
        if fault.error is not None:
            return web.json_response({"ok": False, "error": fault.error})
        await answer()  # drop_after_send: it happened; the client never hears so
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)
