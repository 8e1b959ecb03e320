"""Turn: the one object a dialog receives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .handoff import IntentMatch, TransferContext, TransferResult

if TYPE_CHECKING:
    import httpx

    from .engine import Engine, Run
    from .persona import Button, Persona
    from .store import Store


class Turn:
    """One dialog call: what the user said, who is answering, and what the dialog may do."""

    def __init__(
        self,
        engine: Engine,
        run: Run,
        persona: Persona,
        *,
        text: str,
        intent: IntentMatch | None = None,
        transferred: TransferContext | None = None,
        failed_transfer: TransferResult | None = None,
        clicked: Button | None = None,
    ) -> None:
        self._engine = engine
        self._run = run
        self._persona = persona
        self.text = text
        self.intent = intent
        self.transferred = transferred
        self.failed_transfer = failed_transfer
        self.clicked = clicked  # the button whose click started this turn
        # Failed transfers nothing has been said about since; the engine answers them.
        self._unanswered: list[TransferResult] = []
        self._store: Store | None = None

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
        return self._persona.name

    @property
    def event_id(self) -> str:
        return self._run.message.event_id

    @property
    def http(self) -> httpx.AsyncClient:
        """The app's shared HTTP client for persona backends."""
        return self._engine.http

    @property
    def store(self) -> Store:
        """The context store, bound to this user and conversation."""
        if self._store is None:
            self._store = self._engine.store_for(self)
        return self._store

    async def say(self, text: str, *, buttons: Sequence[Button] = ()) -> None:
        """Post ``text`` in the conversation under this persona's name and icon.

        Plain strings are escaped for Slack; wrap your own mrkdwn in ``adapter.Mrkdwn``.
        ``buttons`` go under the message; a click runs this persona's ``@button`` dialog.
        """
        await self._engine.say(self, text, buttons)

    async def expect(self, answer: str, *, ttl: float = 15 * 60) -> None:
        """The next message in this conversation answers this persona's question: it goes
        to the ``@persona.answer(answer)`` dialog before patterns and intents, unless it
        clearly belongs to another persona's intent, or ``ttl`` seconds pass first."""
        await self._engine.expect(self, answer, ttl)

    async def transfer(
        self,
        skill: str,
        *,
        intent: str | None = None,
        intent_id: str | None = None,
        message: str | None = None,
        notice: str | None = None,
    ) -> TransferResult:
        """Hand the conversation to ``skill``; its persona answers at once, in this event.

        ``intent`` ("domain.intent") or ``intent_id`` starts the receiver's dialog for that
        intent; else ``message`` goes through the receiver's own matching; else its welcome.
        ``notice`` is posted by this persona first. A failure returns ``ok=False`` with a
        reason and leaves the conversation with this persona.
        """
        return await self._engine.transfer(
            self, skill, intent=intent, intent_id=intent_id, message=message, notice=notice
        )

    def __repr__(self) -> str:
        return f"Turn(persona={self.persona!r}, text={self.text!r}, intent={self.intent!r})"
