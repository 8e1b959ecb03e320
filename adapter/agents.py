"""What agents do from Slack: click Claim or "Back to bots" on a card, and type
``/baton release [skill or domain.intent] [message]`` in the channel of a conversation they
own. Mistakes get a note only the agent sees, naming the fix."""

from __future__ import annotations

import logging

from .cards import CLAIM, RELEASE
from .errors import did_you_mean
from .escalation import Escalations
from .humans import HumanTeam
from .message import IncomingClick, IncomingMessage
from .run import Run
from .storage import InboxEntry

log = logging.getLogger("baton.engine")
USAGE = ("Use /baton release [skill or domain.intent] [message], in the channel of a "
         "conversation you claimed, e.g. /baton release hr.payday")


class Agents:
    """The team side of handoffs, as the engine runs it."""

    def __init__(self, escalations: Escalations) -> None:
        self.escalations = escalations
        self.host = escalations.host

    async def clicked(self, click: IncomingClick, key: str, replay: bool) -> None:
        """Claim, or Back to bots, on a card."""
        found = await self.escalations.find(click.value)
        if found is None:
            log.warning("click %s on the card of an unknown handoff %s", click.click_id,
                        click.value)
            return
        handoff, conversation, team = found
        if click.action == CLAIM:
            said = IncomingMessage(click.click_id, conversation.team, conversation.channel,
                                   click.user, click.label, click.message_ts,
                                   conversation.thread_ts, conversation.kind == "dm", False)
            run = Run(said, conversation, key=key, click=click, replay=replay,
                      chain=[team.name])
            await self.escalations.claim(run, team, handoff, click.user)
        elif click.action == RELEASE and handoff.status == "claimed":
            run = Run(self.escalations.said_by_asker(handoff, conversation, click.click_id),
                      conversation, key=key, click=click, replay=replay, chain=[team.name])
            await self.escalations.release(run, team, handoff, click.user)

    async def commanded(self, entry: InboxEntry) -> None:
        """``/baton release [skill or domain.intent] [message]`` from the agent who owns a
        conversation in this channel: hand it back to the bots."""
        command = entry.payload
        words = str(command.get("text") or "").split()
        channel, user = command["channel"], command["user"]
        if not words or words[0].lower() != "release":
            await self.host.replies.poster.whisper(channel, user, USAGE)
            return
        mine = [h for h in await self.host.storage.handoffs(status="claimed")
                if h.claimed_by == user]
        owned = [(h, c) for h in mine
                 if (c := await self.host.storage.conversation(h.conversation)) is not None
                 and c.channel == channel]
        if not owned:
            await self.host.replies.poster.whisper(channel, user, (
                "You have no conversation to release in this channel: /baton release works "
                "where you claimed one."))
            return
        handoff, conversation = owned[-1]
        target = words[1] if len(words) > 1 else None
        problem = self._unknown(target)
        if problem:
            await self.host.replies.poster.whisper(channel, user, problem)
            return
        team = self.host.registry.personas[handoff.team]
        assert isinstance(team, HumanTeam)  # a handoff's team is one (Escalations.open)
        run = Run(self.escalations.said_by_asker(handoff, conversation, entry.key), conversation,
                  key=entry.key, replay=True, chain=[team.name])
        await self.escalations.release(run, team, handoff, user, target,
                                       " ".join(words[2:]) or None)

    def _unknown(self, target: str | None) -> str | None:
        """What is wrong with a release target, naming the closest known one; None if fine."""
        registry = self.host.registry
        if target is None or target in registry.skills:
            return None
        if "." in target:
            if registry.catalog.find(target) is not None:
                return None
            known = [intent.qualified_name for intent in registry.catalog]
            return f"Unknown intent {target!r}.{did_you_mean(target, known)} {USAGE}"
        return f"Unknown skill {target!r}.{did_you_mean(target, registry.skills)} {USAGE}"

