"""Conversation: one person's thread (or DM) with the app, as a transcript to assert on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..conversations import latest
from ..drivable import AppUnderTest
from ..storage import Conversation as ConversationRow
from ..storage import LedgerRow
from ..text import unescape
from .errors import FakeSlackError
from .web_api import TEAM_ID, Clock, Message

Transfer = LedgerRow  # one ledger row of a conversation, as tests read it


@dataclass(frozen=True)
class Reply:
    """A persona's message as the user sees it: who said it, and the text."""

    persona: str
    text: str


class Workspace(Protocol):
    """What a Conversation needs of the fake Slack it talks through (``FakeSlack``)."""

    app: AppUnderTest

    @property
    def clock(self) -> Clock: ...

    @property
    def messages(self) -> list[Message]: ...

    async def post_as_user(self, user: str, channel: str, text: str, *,
                           thread_ts: str | None = None, is_dm: bool = False,
                           mention: bool = False, raw: bool = False,
                           settle: bool = True) -> Message: ...

    async def click(self, message: Message, label: str, *, user: str = "U0USER001") -> None: ...

    async def settle(self) -> None: ...


class Conversation:
    """One person's thread (or DM) with the app, as a transcript.

    ``owner``, ``id`` and ``transfers`` are what the app's storage said once the last
    message or click was handled (FakeSlack reads them after each).
    """

    def __init__(self, slack: Workspace, *, user: str, channel: str, is_dm: bool,
                 agent: bool = False) -> None:
        self.slack = slack
        self.user = user
        self.channel = channel
        self.is_dm = is_dm
        self.agent = agent  # an agent thread in the DM: only its own messages count
        self.thread_ts: str | None = None  # root of the thread, once started
        self._since = slack.clock.ts()
        self._row: ConversationRow | None = None
        self._transfers: list[LedgerRow] = []

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
            mention=first or mention, raw=raw, settle=False,
        )
        if first:
            self.thread_ts = message.ts
        await self.slack.settle()
        return message

    async def refresh(self) -> None:
        """Read the conversation's owner and ledger from the app's storage again."""
        storage = self.slack.app.storage
        self._row = await latest(storage, TEAM_ID, self.channel, self.thread_ts)
        self._transfers = await storage.transfers(self._row.id) if self._row else []

    def _app_messages(self) -> list[Message]:
        return [
            m for m in self.slack.messages
            if m.from_app and m.channel == self.channel and float(m.ts) > float(self._since)
            and ((self.is_dm and not self.agent) or m.thread_ts == self.thread_ts)
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
        return self._row.id if self._row else None

    @property
    def owner(self) -> str | None:
        """The persona that will answer the next message."""
        return self._row.owner if self._row else None

    @property
    def transfers(self) -> list[LedgerRow]:
        """This conversation's ledger rows, oldest first."""
        return list(self._transfers)
