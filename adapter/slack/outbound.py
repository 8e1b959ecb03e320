"""What Baton sends to Slack and reads back for its personas and teams: posts (exactly once
per reply id), handoff cards and their updates, notes only one person sees, who a person
is, a thread's last messages and a link to it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ..buttons import Button
from ..cards import TeamCard
from ..home import HomeView
from ..persona import Persona
from ..storage import Conversation
from ..text import escape, plain_text
from .delivery import Delivery
from .translate import card_blocks, home_blocks, message_blocks

log = logging.getLogger("baton.slack")
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError)


class Outbound:
    """One app's Web API side for the engine (its ``Poster``)."""

    def __init__(self, client: AsyncWebClient, delivery: Delivery) -> None:
        self.client = client
        self.delivery = delivery
        self.workspace_url = ""  # auth.test's url, for links to threads
        self.bot_user_id: str | None = None  # auth.test's user_id: our mentions are dropped
        self._people: dict[str, tuple[str, str | None]] = {}

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (), *, unknown: bool = False, since: str | None = None,
        card: TeamCard | None = None, receipt: str | None = None,
    ) -> str:
        """chat.postMessage in the conversation, as the persona (chat:write.customize),
        exactly once for the reply id in ``metadata``; returns Slack's ts. A ``card`` is
        posted as its blocks, its buttons answered by ``persona``."""
        args: dict[str, Any] = {
            "channel": conversation.channel,
            "text": card.summary() if card else escape(text),
            "username": persona.display_name,
            "metadata": {"event_type": "baton_reply", "event_payload": metadata},
        }
        if card is not None:
            args["blocks"] = card_blocks(card, persona.name)
        elif buttons or receipt:
            args["blocks"] = message_blocks(args["text"], persona.name, buttons, receipt)
        if conversation.thread_ts:
            args["thread_ts"] = conversation.thread_ts
        if persona.icon:
            args["icon_url" if persona.icon.startswith("http") else "icon_emoji"] = persona.icon
        return await self.delivery.post(args, metadata["reply_id"], unknown=unknown,
                                        since=since)

    async def update(self, channel: str, ts: str, card: TeamCard, team: str) -> None:
        """Show a card's new state to everyone (chat.update); a failure is logged: the
        conversation has moved on either way."""
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=card.summary(),
                                          blocks=card_blocks(card, team))
        except SLACK_ERRORS as error:
            log.warning("could not update the card %s in %s: %s", ts, channel, error)

    async def publish_home(self, view: HomeView) -> None:
        """Show the user's App Home (views.publish); a failure is logged: it is shown again
        the next time they open it."""
        try:
            await self.client.views_publish(user_id=view.user, view={
                "type": "home", "blocks": home_blocks(view)})
        except SLACK_ERRORS as error:
            log.warning("could not publish the App Home of %s: %s", view.user, error)

    async def whisper(self, channel: str, user: str, text: str,
                      thread_ts: str | None = None) -> None:
        """A note only ``user`` sees (chat.postEphemeral)."""
        try:
            await self.client.chat_postEphemeral(
                channel=channel, user=user, text=escape(text),
                **({"thread_ts": thread_ts} if thread_ts else {}))
        except SLACK_ERRORS as error:
            log.warning("could not tell %s in %s: %s (%s)", user, channel, text, error)

    async def person(self, user: str) -> tuple[str, str | None]:
        """A person's name and picture (users.info), to post under when they join a
        thread; their user id and no picture when Slack cannot say."""
        if user not in self._people:
            try:
                profile = (await self.client.users_info(user=user))["user"].get("profile", {})
                name = profile.get("display_name") or profile.get("real_name") or user
                self._people[user] = (name, profile.get("image_72") or None)
            except (*SLACK_ERRORS, KeyError) as error:
                log.warning("could not look up %s: %s", user, error)
                return user, None
        return self._people[user]

    async def recent(self, conversation: Conversation, limit: int) -> list[tuple[str, str]]:
        """The thread's last ``limit`` messages as (who, plain text); none if Slack cannot
        say (the card is still worth posting)."""
        if not conversation.thread_ts:
            return []
        try:
            response = await self.client.conversations_replies(
                channel=conversation.channel, ts=conversation.thread_ts, limit=200)
        except SLACK_ERRORS as error:
            log.warning("could not read thread %s: %s", conversation.id, error)
            return []
        said = [(m.get("username") or (f"<@{m['user']}>" if m.get("user") else "someone"),
                 plain_text(m.get("text") or "", self.bot_user_id))
                for m in response.get("messages") or []]
        return said[-limit:]

    def link(self, conversation: Conversation) -> str | None:
        """A link to the conversation's thread in the workspace."""
        root = conversation.thread_ts
        if not self.workspace_url or not root:
            return None
        return f"{self.workspace_url.rstrip('/')}/archives/{conversation.channel}/" \
               f"p{root.replace('.', '')}"
