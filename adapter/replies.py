"""Posting a Run's replies exactly once, through the outbox.

A reply's stable id is fixed before anything is posted: the inbox entry's key, written
before Slack got its ack, and the reply's place in the Run. A Run that ends marks its
entry done, and a done entry never runs again; a Run that fails records in the outbox
what it did deliver. A Run run again skips what the outbox says was delivered and has
the poster look up, by id, anything else it might have posted before (after a crash:
one look-up, never a second post). So the common path writes nothing between the ack
and the post, and nothing for its replies after it.
The running dialogs' time limits stand still while Slack takes a reply: Slack's delays
are not the dialog's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Protocol

from .buttons import Button
from .cards import TeamCard
from .persona import Persona
from .run import DialogCall, PostedReply, Run
from .storage import Conversation, Storage


class Poster(Protocol):
    """Posts a persona's reply into a conversation (Slack, or anything that looks like it),
    and what a human team's handoff needs besides."""

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (), *, unknown: bool = False, since: str | None = None,
        card: TeamCard | None = None, receipt: str | None = None,
    ) -> str:
        """Post once for the ``reply_id`` in ``metadata``; ``unknown``: an earlier attempt
        may have posted it, so look among the messages since Slack ts ``since`` first.
        Returns the message's ts. ``card``: a team's handoff card instead of ``text``;
        ``receipt``: a small line under it saying whom a transfer came from, and why."""

    async def find(self, conversation: Conversation, reply_id: str,
                   since: str | None) -> str | None:
        """The ts of the reply with ``reply_id``, if Slack has it."""

    async def update(self, channel: str, ts: str, card: TeamCard, team: str) -> None:
        """Show a card's new state."""

    async def whisper(self, channel: str, user: str, text: str,
                      thread_ts: str | None = None) -> None:
        """A note only ``user`` sees."""

    async def person(self, user: str) -> tuple[str, str | None]:
        """A person's name and picture URL."""

    async def recent(self, conversation: Conversation, limit: int) -> list[tuple[str, str]]:
        """The conversation's last messages: (who, text)."""

    def link(self, conversation: Conversation) -> str | None:
        """A link to the conversation's thread."""

    async def status(self, conversation: Conversation, persona: Persona, text: str,
                     user_ts: str) -> None:
        """Show that ``persona`` is working (never raises)."""

    async def clear_status(self, conversation: Conversation, user_ts: str) -> None:
        """Take that away (never raises)."""

    async def stream(self, conversation: Conversation, persona: Persona, user: str) -> Any:
        """A message that grows as it is written (``append``, ``stop``), or None where
        Slack cannot stream."""

    async def finish_stream(self, conversation: Conversation, ts: str, text: str,
                            metadata: dict[str, Any]) -> str | None:
        """Make a streamed reply cut off part way (a crash, a lost answer) whole in place:
        the stream stopped, its text the whole reply; None when Slack no longer has it."""

    async def thread_started(self, conversation: Conversation,
                             prompts: list[dict[str, str]]) -> None:
        """A new agent thread's suggested prompts."""

    async def title(self, conversation: Conversation, title: str) -> None:
        """Name an agent thread."""


class Replies:
    """The outbox side of posting: one app's replies, each exactly once."""

    def __init__(self, storage: Storage, poster: Poster) -> None:
        self.storage = storage
        self.poster = poster

    async def post(self, run: Run, persona: Persona, text: str, transfer_id: str | None,
                   buttons: Sequence[Button] = (), *, to: Conversation | None = None,
                   card: TeamCard | None = None, receipt: str | None = None) -> str | None:
        """Post ``text`` as ``persona``; the reply's id and transfer go in its metadata.
        ``to``: somewhere else than the Run's conversation (a team's channel); ``card``:
        a handoff card. Returns Slack's ts when this Run posted it."""
        reply = PostedReply(run.next_reply_id(), persona.name, text, transfer_id)
        if run.replay:
            status = await self.storage.reply_status(reply.id)
            if status is not None and status[0] == "delivered":
                run.replies.append(reply)  # the earlier attempt posted it: never twice
                return status[1]
        where = to or run.conversation
        metadata = _metadata(reply, where)
        with _held(run.active), _sending(run):
            # Run again, an earlier attempt may have posted it: the poster looks first.
            extra = {"receipt": receipt} if receipt else {}
            ts = await self.poster.post(where, persona, text, metadata, buttons,
                                        unknown=run.replay, since=run.message.ts, card=card,
                                        **extra)
        run.replies.append(replace(reply, ts=ts))
        return ts


class Streamed:
    """A reply written in pieces (``turn.stream()``): it grows in Slack as it is written
    where Slack can stream, else it is posted once, whole, when done. Its id is fixed when
    it opens, like any reply's: a Run run again does not stream what was delivered."""

    def __init__(self, replies: Replies, run: Run, persona: Persona,
                 transfer_id: str | None) -> None:
        self.replies, self.run, self.persona = replies, run, persona
        self.transfer_id = transfer_id
        self.reply = PostedReply(run.next_reply_id(), persona.name, "", transfer_id)
        self.pieces: list[str] = []
        self._stream: Any = None
        self._delivered = False
        # The ts of the stream in Slack, once it has one; with no stream open, the Run is
        # run again and that stream was cut off part way: it is made whole when done.
        self._began: str | None = None

    async def open(self) -> Streamed:
        run = self.run
        run.replies.append(self.reply)  # its place in the Run: later replies' ids follow
        if run.replay:
            status = await self.replies.storage.reply_status(self.reply.id)
            found = status is not None and status[0] == "delivered"
            self._delivered = found or await self.replies.poster.find(
                run.conversation, self.reply.id, run.message.ts) is not None
            if self._delivered:
                return self
            if status is not None and status[0] == "streaming" and status[1]:
                self._began = status[1]  # written again, then put in its place
                return self
        with _held(run.active):
            self._stream = await self.replies.poster.stream(run.conversation, self.persona,
                                                            run.message.user)
        return self

    async def write(self, text: str) -> None:
        """Add ``text`` to the reply (markdown); shown at once where Slack streams."""
        if self._delivered or not text:
            return
        self.pieces.append(text)
        if self._stream is not None:
            with _held(self.run.active):
                await self._stream.append(markdown_text=text)
                if self._began is None and self._stream.ts:  # Slack has begun the message
                    self._began = str(self._stream.ts)
                    await self.replies.storage.mark_streaming(
                        self.reply.id, self.run.conversation.id, self._began)

    async def close(self) -> None:
        """End the reply: the stream stops with the reply's metadata, or the whole text is
        posted now."""
        if self._delivered:
            return
        run, text = self.run, "".join(self.pieces) or "…"
        metadata = _metadata(self.reply, run.conversation)
        cut_off = self._stream is None and self._began is not None
        with _held(run.active):
            found = await self.replies.poster.finish_stream(
                run.conversation, self._began, text, metadata) if cut_off else None
            if found is not None:
                ts = found
            elif self._stream is not None:
                response = await self._stream.stop(metadata=metadata)
                ts = str((response or {}).get("ts") or self._stream.ts or "")
            else:
                ts = await self.replies.poster.post(run.conversation, self.persona, text,
                                                    metadata, unknown=run.replay,
                                                    since=run.message.ts)
        index = run.replies.index(self.reply)
        run.replies[index] = replace(self.reply, text=text, ts=ts)


def _metadata(reply: PostedReply, where: Conversation) -> dict[str, str]:
    """What a reply carries in Slack: who said it, where, its id and its transfer."""
    found = {"persona": reply.persona, "conversation": where.id, "reply_id": reply.id}
    if reply.transfer_id:
        found["transfer_id"] = reply.transfer_id
    return found


@contextmanager
def _sending(run: Run) -> Iterator[None]:
    """A reply on its way: a status line does not count that as the persona working."""
    run.sending += 1
    try:
        yield
    finally:
        run.sending -= 1


@contextmanager
def _held(calls: list[DialogCall]) -> Iterator[None]:
    """Stop the running dialogs' clocks, then give each the time it had left."""
    loop = asyncio.get_running_loop()
    held = [call.deadline for call in calls if call.deadline is not None]
    now = loop.time()
    for deadline in held:
        deadline.hold(now)
    try:
        yield
    finally:
        now = loop.time()
        for deadline in held:
            deadline.release(now)
