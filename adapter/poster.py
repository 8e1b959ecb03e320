"""The engine's Poster for an App: the Slack side's (``slack/outbound.py``) once the app is
connected. The engine is made before the connection exists, so it is handed this."""

from __future__ import annotations

from typing import Any

from .storage import Conversation


class SlackPoster:
    """Forwards every ``Poster`` call to the connected Slack side; until then, says so."""

    def __init__(self) -> None:
        self.outbound: Any = None  # set on connect, cleared on stop

    def _to(self) -> Any:
        if self.outbound is None:
            raise RuntimeError("the App is not connected to Slack; start it first.")
        return self.outbound

    async def post(self, *args: Any, **kwargs: Any) -> str:
        return await self._to().post(*args, **kwargs)

    async def find(self, *args: Any) -> str | None:
        return await self._to().find(*args)

    async def update(self, *args: Any) -> None:
        await self._to().update(*args)

    async def whisper(self, *args: Any) -> None:
        await self._to().whisper(*args)

    async def person(self, user: str) -> tuple[str, str | None]:
        return await self._to().person(user)

    async def recent(self, conversation: Conversation, limit: int) -> list[tuple[str, str]]:
        return await self._to().recent(conversation, limit)

    def link(self, conversation: Conversation) -> str | None:
        return self._to().link(conversation)

    async def status(self, *args: Any) -> None:
        await self._to().status(*args)

    async def clear_status(self, *args: Any) -> None:
        await self._to().clear_status(*args)

    async def stream(self, *args: Any) -> Any:
        return await self._to().stream(*args)

    async def finish_stream(self, *args: Any) -> str | None:
        return await self._to().finish_stream(*args)

    async def thread_started(self, *args: Any) -> None:
        await self._to().thread_started(*args)

    async def title(self, *args: Any) -> None:
        await self._to().title(*args)
