"""What Baton sends to Slack and reads back for its personas and teams: posts (exactly once
per reply id), handoff cards and their updates, notes only one person sees, who a person
is, a thread's last messages and a link to it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_bolt.context.say_stream.async_say_stream import AsyncSayStream
from slack_bolt.context.set_status.async_set_status import AsyncSetStatus
from slack_bolt.context.set_suggested_prompts.async_set_suggested_prompts import (
    AsyncSetSuggestedPrompts,
)
from slack_bolt.context.set_title.async_set_title import AsyncSetTitle
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_chat_stream import AsyncChatStream
from slack_sdk.web.async_client import AsyncWebClient

from ..buttons import Button
from ..cards import TeamCard
from ..conversations import is_agent_thread
from ..errors import DeliveryError
from ..home import HomeView
from ..persona import Persona
from ..storage import Conversation
from ..text import escape, plain_text
from .delivery import Delivery
from .translate import card_blocks, home_blocks, message_blocks

log = logging.getLogger("baton.slack")
WORKING = "hourglass_flowing_sand"  # the reaction that says "on it" outside agent threads
# Web API methods called through Bolt's and slack_sdk's helpers rather than by name here
# (AsyncSetStatus, AsyncSetSuggestedPrompts, AsyncSetTitle, AsyncSayStream's chat stream);
# the manifest's test reads this to check each is in slack_sdk and granted its scope.
THROUGH_HELPERS = frozenset({
    "assistant.threads.setStatus", "assistant.threads.setSuggestedPrompts",
    "assistant.threads.setTitle", "chat.startStream", "chat.appendStream", "chat.stopStream"})
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError)


class Outbound:
    """One app's Web API side for the engine (its ``Poster``)."""

    def __init__(self, client: AsyncWebClient, delivery: Delivery,
                 writer: AsyncWebClient | None = None) -> None:
        self.client = client  # retries what is safe to repeat
        self.delivery = delivery
        # Streams write with a client that never retries on its own: a piece whose answer
        # was lost may be in Slack already, and sent again it would show twice.
        self.writer = writer or client
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
            "metadata": _wire(metadata),
        }
        if card is not None:
            args["blocks"] = card_blocks(card, persona.name)
        elif buttons or receipt:
            args["blocks"] = message_blocks(args["text"], persona.name, buttons, receipt)
        if conversation.thread_ts:
            args["thread_ts"] = conversation.thread_ts
        args.update(_icon(persona))
        return await self.delivery.post(args, metadata["reply_id"], unknown=unknown,
                                        since=since)

    async def find(self, conversation: Conversation, reply_id: str,
                   since: str | None) -> str | None:
        """The ts of the reply with ``reply_id`` if Slack has it (raises when it cannot
        tell: then the Run waits in the inbox rather than risk a second)."""
        return await self.delivery.find(conversation.channel, conversation.thread_ts,
                                        reply_id, since)

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

    # --- agent threads and work in progress -------------------------------------------
    # An agent (assistant) thread is a thread in the user's DM with the app: Slack shows a
    # status line and streams there. Elsewhere a reaction on the user's message says the
    # app is on it, and a streamed reply is posted once, whole.

    async def status(self, conversation: Conversation, persona: Persona, text: str,
                     user_ts: str) -> None:
        """"Travel Desk is checking flights…" under the persona's name and icon (an agent
        thread), else an hourglass on the user's message; never raises."""
        try:
            if is_agent_thread(conversation):
                await AsyncSetStatus(self.client, conversation.channel,
                                     str(conversation.thread_ts))(
                    status=text, username=persona.display_name, **_icon(persona))
            else:
                await self.client.reactions_add(channel=conversation.channel,
                                                timestamp=user_ts, name=WORKING)
        except SLACK_ERRORS as error:
            log.debug("no status in %s: %s", conversation.id, error)

    async def clear_status(self, conversation: Conversation, user_ts: str) -> None:
        """Take the status line (or the hourglass) away; never raises."""
        try:
            if is_agent_thread(conversation):
                await AsyncSetStatus(self.client, conversation.channel,
                                     str(conversation.thread_ts))(status="")
            else:
                await self.client.reactions_remove(channel=conversation.channel,
                                                   timestamp=user_ts, name=WORKING)
        except SLACK_ERRORS as error:
            log.debug("status in %s not cleared: %s", conversation.id, error)

    async def stream(self, conversation: Conversation, persona: Persona,
                     user: str) -> Stream | None:
        """A message that grows as it is written (chat.startStream, under the persona's name),
        in an agent thread; None elsewhere (the caller posts once, at the end)."""
        if not is_agent_thread(conversation):
            return None
        return Stream(await AsyncSayStream(
            client=self.writer, channel=conversation.channel, thread_ts=conversation.thread_ts,
            recipient_team_id=conversation.team, recipient_user_id=user)(
                username=persona.display_name, **_icon(persona)))

    async def finish_stream(self, conversation: Conversation, ts: str, text: str,
                            metadata: dict[str, Any]) -> str | None:
        """A streamed reply cut off part way, made whole where it is: its stream stopped
        (if Slack still holds it open) and its text replaced by the whole reply, with the
        reply's metadata; None when the message is gone (then it is posted anew)."""
        meta = _wire(metadata)
        try:
            await self.client.chat_stopStream(channel=conversation.channel, ts=ts,
                                              metadata=meta)
        except SlackApiError as error:
            if error.response.get("error") == "message_not_found":
                return None
            if error.response.get("error") != "message_not_in_streaming_state":
                raise DeliveryError(f"ending a streamed reply: {error}") from None
        except SLACK_ERRORS as error:
            raise DeliveryError(f"ending a streamed reply: {error}") from None
        try:
            await self.client.chat_update(channel=conversation.channel, ts=ts,
                                          markdown_text=text, metadata=meta)
        except SLACK_ERRORS as error:
            raise DeliveryError(f"making a streamed reply whole: {error}") from None
        return ts

    async def thread_started(self, conversation: Conversation,
                             prompts: list[dict[str, str]]) -> None:
        """A new agent thread's suggested prompts; never raises."""
        try:
            await AsyncSetSuggestedPrompts(self.client, conversation.channel,
                                           conversation.thread_ts)(prompts=prompts)
        except SLACK_ERRORS as error:
            log.warning("no suggested prompts in %s: %s", conversation.id, error)

    async def title(self, conversation: Conversation, title: str) -> None:
        """Name an agent thread once its topic is known; never raises."""
        if is_agent_thread(conversation):
            try:
                await AsyncSetTitle(self.client, conversation.channel,
                                    str(conversation.thread_ts))(title=title[:100])
            except SLACK_ERRORS as error:
                log.warning("no title for %s: %s", conversation.id, error)

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


def _icon(persona: Persona) -> dict[str, str]:
    """The persona's icon as Slack's argument: an emoji or an image URL."""
    if not persona.icon:
        return {}
    return {"icon_url" if persona.icon.startswith("http") else "icon_emoji": persona.icon}


class Stream:
    """slack_sdk's chat stream, whose failures are Baton's DeliveryError: the Run then
    waits in the inbox, and run again it finds the reply by its id if the stream ended."""

    def __init__(self, stream: AsyncChatStream) -> None:
        self._stream = stream

    @property
    def ts(self) -> str | None:
        return self._stream.ts

    async def append(self, *, markdown_text: str) -> None:
        try:
            await self._stream.append(markdown_text=markdown_text)
        except SLACK_ERRORS as error:
            raise DeliveryError(f"streaming a reply: {error}") from None

    async def stop(self, *, metadata: dict[str, Any]) -> Any:
        """End the stream with the reply's metadata (``reply_id`` and the rest)."""
        try:
            return await self._stream.stop(metadata=_wire(metadata))
        except SLACK_ERRORS as error:
            raise DeliveryError(f"ending a streamed reply: {error}") from None


def _wire(metadata: dict[str, Any]) -> dict[str, Any]:
    """A reply's metadata as Slack carries it (Delivery finds a reply by its payload)."""
    return {"event_type": "baton_reply", "event_payload": metadata}
