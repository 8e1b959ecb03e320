"""Conversations and their owners, kept in SQLite."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlite_utils import Database

from .message import IncomingMessage


@dataclass(frozen=True)
class Conversation:
    """One Slack thread, or a DM's top-level messages until they go idle."""

    id: str
    team: str
    channel: str
    thread_ts: str | None  # where replies go; None posts top-level (DM)
    kind: str  # "thread" or "dm"
    owner: str


class Conversations:
    """Finds, creates and re-owns conversations; owners survive restarts."""

    def __init__(self, db: Database, *, dm_idle_timeout: float = 30 * 60) -> None:
        self._db = db
        self.dm_idle_timeout = dm_idle_timeout

    def get(self, conversation_id: str) -> Conversation | None:
        row = self._db.execute(
            "SELECT id, team, channel, thread_ts, kind, owner FROM conversations WHERE id = ?",
            [conversation_id],
        ).fetchone()
        return Conversation(*row) if row else None

    def resolve(self, message: IncomingMessage, entry: str) -> Conversation | None:
        """The conversation ``message`` belongs to, started with ``entry`` as owner if new.

        None for a reply in a channel thread the app is not part of and not mentioned in.
        """
        if message.is_dm and message.thread_ts is None:
            return self._resolve_dm(message, entry)
        root = message.thread_ts or message.ts
        conversation_id = f"{message.team}:{message.channel}:{root}"
        found = self.get(conversation_id)
        if found is not None:
            self._touch(conversation_id, message.ts)
            return found
        if message.thread_ts and not message.mentioned and not message.is_dm:
            return None
        return self._create(conversation_id, message, root, "thread", entry)

    def _resolve_dm(self, message: IncomingMessage, entry: str) -> Conversation:
        row = self._db.execute(
            "SELECT id, last_ts FROM conversations WHERE team = ? AND channel = ? AND kind = 'dm' "
            "ORDER BY last_ts DESC LIMIT 1",
            [message.team, message.channel],
        ).fetchone()
        if row and float(message.ts) - row[1] <= self.dm_idle_timeout:
            self._touch(row[0], message.ts)
            found = self.get(row[0])
            assert found is not None
            return found
        conversation_id = f"{message.team}:{message.channel}:dm:{message.ts}"
        return self._create(conversation_id, message, None, "dm", entry)

    def _create(
        self, conversation_id: str, message: IncomingMessage, thread_ts: str | None, kind: str,
        owner: str,
    ) -> Conversation:
        now = time.time()
        self._db.execute(
            "INSERT INTO conversations (id, team, channel, thread_ts, kind, owner, started_ts, "
            "last_ts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [conversation_id, message.team, message.channel, thread_ts, kind, owner,
             float(message.ts), float(message.ts), now, now],
        )
        return Conversation(conversation_id, message.team, message.channel, thread_ts, kind, owner)

    def _touch(self, conversation_id: str, ts: str) -> None:
        self._db.execute(
            "UPDATE conversations SET last_ts = max(last_ts, ?), updated_at = ? WHERE id = ?",
            [float(ts), time.time(), conversation_id],
        )

    def set_owner(self, conversation_id: str, owner: str) -> None:
        """Hand the conversation to ``owner`` (call inside the ledger's transaction); an open
        question of the previous owner is dropped with it."""
        self._db.execute(
            "UPDATE conversations SET owner = ?, expecting = NULL, expecting_until = NULL, "
            "updated_at = ? WHERE id = ?",
            [owner, time.time(), conversation_id],
        )

    def expect(self, conversation_id: str, persona: str, answer: str, until: float) -> None:
        """Send the conversation's next message to ``persona``'s ``answer`` dialog."""
        self._db.execute(
            "UPDATE conversations SET expecting = ?, expecting_until = ? WHERE id = ?",
            [f"{persona}:{answer}", until, conversation_id])

    def take_expected(self, conversation_id: str, persona: str, now: float) -> str | None:
        """The answer name ``persona`` waits for, if any and not expired; clears it."""
        row = self._db.execute(
            "SELECT expecting, expecting_until FROM conversations WHERE id = ?",
            [conversation_id]).fetchone()
        if not row or not row[0]:
            return None
        self._db.execute("UPDATE conversations SET expecting = NULL, expecting_until = NULL "
                         "WHERE id = ?", [conversation_id])
        who, _, answer = row[0].partition(":")
        return answer if who == persona and (row[1] or 0) > now else None

    def latest(self, team: str, channel: str, thread_ts: str | None) -> Conversation | None:
        """The conversation of a thread, or the latest DM conversation of a channel."""
        if thread_ts is not None:
            return self.get(f"{team}:{channel}:{thread_ts}")
        row = self._db.execute(
            "SELECT id FROM conversations WHERE team = ? AND channel = ? AND kind = 'dm' "
            "ORDER BY last_ts DESC LIMIT 1",
            [team, channel],
        ).fetchone()
        return self.get(row[0]) if row else None
