"""Turn: the one object a dialog receives, a frozen view of one dialog call over the Run.

What a Turn asks of the engine running it is the ``TurnHost`` protocol below; it hands
the host its Run and dialog call (data), never itself, and reads nothing of the engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from .buttons import Button
from .handoff import TransferContext, TransferRequest, TransferResult
from .intents import Domain, IntentMatch, SkillMatch
from .run import DialogCall, Run
from .storage import LedgerRow
from .store import Store


class PersonaInfo(Protocol):
    """What a dialog may read about a persona."""

    name: str
    display_name: str | None
    description: str | None
    skills: Sequence[str]
    available: bool
    domains: Sequence[Domain]


class Directory(Protocol):
    """What a dialog may read about the app's personas: a router's map of the desks."""

    entry: str

    @property
    def personas(self) -> Mapping[str, PersonaInfo]:
        """Every persona by name, in registration order."""

    @property
    def intent_threshold(self) -> float:
        """The score an intent needs; below it a message is out of scope."""

    def persona_for_intent(self, qualified_name: str) -> PersonaInfo | None:
        """The first persona with a dialog for "domain.intent"."""

    def persona_for_skill(self, skill: str) -> PersonaInfo | None:
        """The first persona serving ``skill``."""


class ReplyWriter(Protocol):
    """A reply written in pieces (``turn.stream()``)."""

    async def write(self, text: str) -> None:
        """Add ``text`` (markdown) to the reply."""

    async def close(self) -> None:
        """End the reply."""


class TurnHost(Protocol):
    """What a Turn asks of the engine that runs its dialog."""

    @property
    def http(self) -> httpx.AsyncClient: ...

    @property
    def directory(self) -> Directory: ...

    async def say(self, run: Run, call: DialogCall, text: str,
                  buttons: Sequence[Button]) -> None: ...

    async def transfer(self, run: Run, call: DialogCall,
                       request: TransferRequest) -> TransferResult: ...

    async def expect(self, run: Run, call: DialogCall, answer: str, ttl: float) -> None: ...

    def store(self, run: Run) -> Store: ...

    async def status(self, run: Run, call: DialogCall, doing: str) -> None: ...

    async def stream(self, run: Run, call: DialogCall) -> ReplyWriter: ...

    def ranked(self, run: Run, text: str) -> list[IntentMatch]: ...

    def ranked_skills(self, run: Run, text: str) -> list[SkillMatch]: ...

    async def undo_transfer(self, run: Run, call: DialogCall,
                            transfer_id: str) -> LedgerRow | None: ...


@dataclass(frozen=True, eq=False)
class Turn:
    """One dialog call: what the user said, who is answering, and what the dialog may do."""

    _host: TurnHost = field(repr=False)
    _run: Run = field(repr=False)
    _call: DialogCall = field(repr=False)
    text: str
    intent: IntentMatch | None = None  # the dialog-starter intent, to forward it
    transferred: TransferContext | None = None  # the transfer that started this turn
    failed_transfer: TransferResult | None = None  # for a @transfer_failed dialog
    clicked: Button | None = None  # the button whose click started this turn

    @property
    def user(self) -> str:
        """The Slack user id of the person talking."""
        return self._run.message.user

    @property
    def conversation(self) -> str:
        """The conversation id (team:channel:thread)."""
        return self._run.conversation.id

    @property
    def persona(self) -> str:
        """The name of the persona answering."""
        return self._call.persona

    @property
    def event_id(self) -> str:
        """The Slack event this turn answers."""
        return self._run.message.event_id

    @property
    def http(self) -> httpx.AsyncClient:
        """The app's shared HTTP client for persona backends."""
        return self._host.http

    @property
    def store(self) -> Store:
        """The context store, bound to this user and conversation."""
        return self._host.store(self._run)

    @property
    def directory(self) -> Directory:
        """The app's personas, what they serve and the intent threshold (for routers)."""
        return self._host.directory

    def ranked(self, text: str | None = None) -> list[IntentMatch]:
        """Intents for this turn's text (or ``text``) across every persona's domains, best
        first, with their scores; classified once per message, however many dialogs ask."""
        return self._host.ranked(self._run, self.text if text is None else text)

    def ranked_skills(self, text: str | None = None) -> list[SkillMatch]:
        """Skills whose area this turn's text (or ``text``) is in, best first, with
        calibrated scores, whether or not one of their intents names it (for routers)."""
        return self._host.ranked_skills(self._run, self.text if text is None else text)

    async def say(self, text: str, *, buttons: Sequence[Button] = ()) -> None:
        """Post ``text`` in the conversation under this persona's name and icon.

        Plain strings are escaped for Slack; wrap your own mrkdwn in ``adapter.Mrkdwn``.
        ``buttons`` go under the message; a click runs this persona's ``@button`` dialog.
        """
        await self._host.say(self._run, self._call, text, buttons)

    async def status(self, doing: str) -> None:
        """Show the user what this persona is doing ("checking flights": "Travel Desk is
        checking flights…"), under its name and icon, until it answers. It goes out in the
        background: nothing waits for it. (Baton shows "... is working on it…" by itself
        when a dialog has said nothing for half a second.)"""
        await self._host.status(self._run, self._call, doing)

    @asynccontextmanager
    async def stream(self) -> AsyncIterator[ReplyWriter]:
        """A reply written in pieces, for long or generated answers::

            async with turn.stream() as reply:
                async for piece in my_llm(turn.text):
                    await reply.write(piece)

        It grows in Slack as it is written where Slack can stream (an agent thread), else
        it is posted once, whole, when the block ends; either way it is one reply, with its
        id and metadata, posted once."""
        streamed = await self._host.stream(self._run, self._call)
        yield streamed
        await streamed.close()

    async def expect(self, answer: str, *, ttl: float = 15 * 60) -> None:
        """The next message in this conversation answers this persona's question: it goes
        to the ``@persona.answer(answer)`` dialog before patterns and intents, unless it
        clearly belongs to another persona's intent, or ``ttl`` seconds pass first."""
        await self._host.expect(self._run, self._call, answer, ttl)

    async def transfer(
        self,
        skill: str,
        *,
        intent: str | None = None,
        intent_id: str | None = None,
        message: str | None = None,
        notice: str | None = None,
        way_back: str | None = None,
        note: str | None = None,
        agent: str | None = None,
    ) -> TransferResult:
        """Hand the conversation to ``skill``; its persona answers at once, in this event.

        ``intent`` ("domain.intent") or ``intent_id`` starts the receiver's dialog for that
        intent; else ``message`` goes through the receiver's own matching; else its welcome.
        ``notice`` is posted by this persona first. A failure returns ``ok=False`` with a
        reason and leaves the conversation with this persona. ``way_back``: the label of a
        button on the receiver's first answer whose click runs this persona's
        ``@button("way_back")`` dialog, with the transfer id as ``turn.clicked.value``
        (the Router's "Not what I meant"). To a ``HumanTeam``: ``note`` goes on the team's
        card only (never to the user), and ``agent`` (a Slack user id) is asked first.
        """
        request = TransferRequest(skill, intent=intent, intent_id=intent_id, message=message,
                                  notice=notice, way_back=way_back, note=note, agent=agent)
        return await self._host.transfer(self._run, self._call, request)

    async def undo_transfer(self, transfer_id: str) -> LedgerRow | None:
        """Take the conversation back for this persona from wherever ``transfer_id`` sent
        it, recording in the ledger that the transfer was not what the user meant (a
        "misroute" row with its message: ``baton misroutes`` lists them). Returns the
        undone transfer's row, or None when it is not a completed transfer of this
        conversation."""
        return await self._host.undo_transfer(self._run, self._call, transfer_id)
