"""A Run's status line: "Travel Desk is checking flights…" while a persona works, under
its name and icon (an agent thread), else an hourglass on the user's message.

Every call goes out in the background, one after another, so a reply is never held back
by it; when the Run ends the status is taken away, after the last one was shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from .persona import Persona
from .storage import Conversation

log = logging.getLogger("baton.engine")
STATUS_AFTER = 0.5  # seconds a dialog runs without answering before its status shows


class Showing(Protocol):
    """What a status line needs of the Slack side (the Poster has it)."""

    async def status(self, conversation: Conversation, persona: Persona, text: str,
                     user_ts: str) -> None: ...

    async def clear_status(self, conversation: Conversation, user_ts: str) -> None: ...


class StatusLine:
    """One Run's status line."""

    def __init__(self, poster: Showing, conversation: Conversation, user_ts: str) -> None:
        self._poster = poster
        self._conversation = conversation
        self._user_ts = user_ts
        self._last: asyncio.Task[None] | None = None
        self.shown: list[str] = []  # what it showed, in order (the log and tests read it)

    def show(self, persona: Persona, text: str) -> None:
        """Show ``text`` as ``persona``, without waiting for Slack."""
        before = self._last
        self.shown.append(text)

        async def send() -> None:
            if before is not None:
                with contextlib.suppress(Exception):
                    await before
            await self._poster.status(self._conversation, persona, text, self._user_ts)

        self._last = asyncio.create_task(send())

    async def clear(self) -> None:
        """Take the status away (after the last one went out); never raises."""
        if self._last is None:
            return
        with contextlib.suppress(Exception):
            await self._last
        try:
            await self._poster.clear_status(self._conversation, self._user_ts)
        except Exception as error:  # a status is a courtesy: never the Run's failure
            log.debug("status not cleared in %s: %s", self._conversation.id, error)


def working(persona: Persona, doing: str = "working on it") -> str:
    """ "Travel Desk is checking flights…" """
    return f"{persona.display_name} is {doing.rstrip('.… ')}…"
