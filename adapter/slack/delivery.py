"""Posting a reply exactly once: timeouts, bounded retries with backoff and jitter, Slack's
error codes classed as transient or permanent, and reconciliation by the reply's id.

A post whose outcome is unknown (a timeout, a connection dropped after sending, a 5xx,
``internal_error``) may have reached Slack: before posting again, the reply's id is
looked up in the thread (the app's message metadata), so a retry never doubles a reply
and a lost response never loses one.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
)
from slack_sdk.http_retry.jitter import RandomJitter
from slack_sdk.web.async_client import AsyncWebClient

from ..errors import DeliveryError

log = logging.getLogger("baton.slack")

# Slack's documented ok=false errors of chat.postMessage that mean "not now": the same
# request may succeed later. The first three may also mean Slack did post it.
TRANSIENT = frozenset({"internal_error", "fatal_error", "request_timeout", "ratelimited",
                       "rate_limited", "service_unavailable", "team_added_to_org"})
MAYBE_POSTED = frozenset({"internal_error", "fatal_error", "request_timeout"})
# The documented errors that will never succeed as asked; anything undocumented is
# retried like a transient error, within the budget.
PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "no_text", "too_many_attachments",
    "invalid_blocks", "invalid_blocks_format", "invalid_metadata_format",
    "invalid_metadata_schema", "metadata_too_large", "metadata_must_be_sent_from_app",
    "restricted_action", "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel",
    "cannot_reply_to_message", "message_limit_exceeded", "ekm_access_denied", "invalid_auth",
    "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission",
    "missing_scope", "not_allowed_token_type", "invalid_arguments", "invalid_arg_name",
    "invalid_array_arg", "invalid_charset", "invalid_form_data", "invalid_post_type",
    "missing_post_type", "as_user_not_supported", "method_deprecated", "deprecated_endpoint",
})
PART = 3900  # characters per part when Slack says msg_too_long (it suggests under 4,000)
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.25, jitter=RandomJitter())


def split_text(text: str, limit: int = PART) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at a line or a space."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text] if text else parts


class Delivery:
    """chat.postMessage for one app, exactly once per reply id."""

    def __init__(self, poster: AsyncWebClient, reader: AsyncWebClient, *,
                 attempts: int = 4) -> None:
        self._poster = poster  # retries only 429s itself: they were never posted
        self._reader = reader  # retries everything: looking up is safe to repeat
        self.attempts = attempts

    async def post(self, args: dict[str, Any], reply_id: str, *, unknown: bool = False,
                   since: str | None = None) -> str:
        """Post once; returns the message's ts. ``unknown``: an earlier attempt's outcome
        is not known, so look (among messages since Slack ts ``since``) first. Raises
        ``DeliveryError`` when the budget is spent or Slack will never take it
        (``permanent``)."""
        try:
            return await self._post(args, reply_id, unknown, since)
        except _TooLong:
            return await self._post_in_parts(args, reply_id, unknown, since)

    async def _post(self, args: dict[str, Any], reply_id: str, unknown: bool,
                    since: str | None) -> str:
        cause = "no attempt"
        for attempt in range(self.attempts):
            if unknown:
                found = await self.find(args["channel"], args.get("thread_ts"), reply_id, since)
                if found is not None:
                    return found
            try:
                response = await self._poster.chat_postMessage(**args)
                return str(response.get("ts") or "")
            except SlackApiError as error:
                code, status = error_code(error), error.response.status_code
                if code == "msg_too_long":
                    raise _TooLong() from None
                if code in PERMANENT:
                    raise DeliveryError(f"chat.postMessage: {code}", permanent=True) from None
                unknown = status >= 500 or code in MAYBE_POSTED
                cause = f"chat.postMessage: {code}"
                wait = _retry_after(error) or BACKOFF.calculate_sleep_duration(attempt)
            except (aiohttp.ClientError, TimeoutError) as error:
                unknown, cause = True, f"chat.postMessage: {type(error).__name__} {error}"
                wait = BACKOFF.calculate_sleep_duration(attempt)
            if attempt + 1 < self.attempts:
                log.info("reply %s: %s; trying again in %.2fs", reply_id, cause, wait)
                await asyncio.sleep(wait)
        if unknown:  # the last attempt may have landed
            found = await self.find(args["channel"], args.get("thread_ts"), reply_id, since)
            if found is not None:
                return found
        raise DeliveryError(f"{cause} (after {self.attempts} attempts)")

    async def _post_in_parts(self, args: dict[str, Any], reply_id: str, unknown: bool,
                             since: str | None) -> str:
        """Slack said msg_too_long: post the text in parts, the buttons under the last."""
        parts = split_text(args["text"])
        ts = ""
        for number, part in enumerate(parts, 1):
            last = number == len(parts)
            piece = {**args, "text": part}
            if not last:
                piece.pop("blocks", None)
            elif "blocks" in piece:
                piece["blocks"] = [{**piece["blocks"][0], "text": {
                    **piece["blocks"][0]["text"], "text": part}}, *piece["blocks"][1:]]
            payload = piece["metadata"]["event_payload"]
            piece["metadata"] = {**piece["metadata"],
                                 "event_payload": {**payload, "reply_id": f"{reply_id}~{number}"}}
            ts = await self._post(piece, f"{reply_id}~{number}", unknown, since)
        return ts

    async def find(self, channel: str, thread_ts: str | None, reply_id: str,
                   since: str | None = None) -> str | None:
        """The ts of the app's message carrying ``reply_id`` in its metadata, if Slack has
        it: among the thread's replies, or a DM's messages, since Slack ts ``since`` (the
        message it answers: however long the thread, the reply came after it)."""
        window = {"oldest": since, "inclusive": True} if since else {}
        try:
            if thread_ts:
                response = await self._reader.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=200,
                    **window)
            else:
                response = await self._reader.conversations_history(
                    channel=channel, include_all_metadata=True, limit=200, **window)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            # Not knowing, posting could double the reply: the Run waits in the inbox.
            raise DeliveryError(f"could not look reply {reply_id} up in {channel}: "
                                f"{_describe(error)}") from None
        for message in response.get("messages") or []:
            payload = ((message.get("metadata") or {}).get("event_payload") or {})
            if payload.get("reply_id") == reply_id:
                return str(message.get("ts") or "")
        return None


class _TooLong(Exception):
    """Slack refused the text as too long: post it in parts."""


def _retry_after(error: SlackApiError) -> float | None:
    value = (error.response.headers or {}).get("Retry-After") \
        if error.response.status_code == 429 else None
    return float(value) if value and re.fullmatch(r"\d+(\.\d+)?", str(value)) else None


def error_code(error: SlackApiError) -> str:
    """Slack's error code (``ok: false``), or "HTTP 503" for an answer that is not JSON."""
    data = error.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"HTTP {error.response.status_code}")


def _describe(error: BaseException) -> str:
    if isinstance(error, SlackApiError):
        return error_code(error)
    return f"{type(error).__name__} {error}".strip()
