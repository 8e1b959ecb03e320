"""Handing a conversation to a human team, and back: the card, the claim, the wait's end.

A transfer to a ``HumanTeam`` saves a handoff (the wait, with its deadline) before it posts
the card, so a crash loses neither; the user is told who was asked and how soon they
usually answer. The first click on Claim wins (one transaction), the person joins the
thread under their own name, and the bots stay silent while a person owns it. "Back to
bots" or ``/baton release [intent or skill]`` hands it back warm. A wait that ends unclaimed
moves on to the whole team (after a named agent), or fails the transfer through the usual
path: a fallback skill, else the sender's ``@transfer_failed`` or the default apology.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from typing import Protocol

from .buttons import Button
from .cards import CLAIM, RELEASE, TeamCard
from .handoff import TransferContext, TransferRequest, TransferResult
from .humans import HumanTeam, agent_of, duration
from .message import IncomingMessage
from .persona import Persona
from .registry import Registry
from .replies import Replies
from .run import Run
from .storage import Conversation, Handoff, InboxEntry, Storage
from .transfers import Receiving, Transfers

log = logging.getLogger("baton.engine")
RECENT = 5  # messages of the thread the card shows
ASKED = ("I've asked {team} to join; someone usually picks this up {wait}. The bots will stay "
         "quiet here meanwhile.")
JOINED = "Hi, I'm {name} from {team}. I'll take it from here."
WAITING = "Waiting for someone to claim it ({wait})"


class Host(Receiving, Protocol):
    """What handing over to people needs of the engine."""

    registry: Registry
    storage: Storage
    replies: Replies
    transfers: Transfers

    async def answer_failure(self, run: Run, sender: Persona, failure: TransferResult) -> None:
        """The sender answers a failed transfer (its @transfer_failed, else a default)."""

    async def answer_welcome(self, run: Run, persona: Persona) -> None:
        """The persona greets the conversation."""


class Escalations:
    """One app's handoffs to its human teams."""

    def __init__(self, host: Host) -> None:
        self.host = host

    # --- handing over ------------------------------------------------------------------

    async def open(self, run: Run, team: HumanTeam, context: TransferContext,
                   note: str | None, agent: str | None) -> str:
        """Post the card (to ``agent`` first, if named) and tell the user; the ledger row
        stays "started" until someone claims. Returns the ledger's resolution."""
        storage, now = self.host.storage, time.time()
        found = [h for h in await storage.handoffs(conversation=run.conversation.id)
                 if h.id == context.transfer_id]
        handoff = found[0] if found else Handoff(
            context.transfer_id, run.conversation.id, team.name, context.from_persona,
            run.message.user, context.message or run.message.text, note, agent,
            "agent" if agent else "team", "waiting", None, None, None,
            team.due(now, first=bool(agent)), now, now)
        await storage.save_handoff(handoff)  # the wait, before the card: a crash keeps both
        await self._post_card(run, team, handoff)
        await self.host.replies.post(run, team, ASKED.format(team=team.display_name,
                                                             wait=team.wait_text()),
                                     context.transfer_id)
        return f"waiting for {team.name}" + (f" (asked {agent} first)" if agent else "")

    async def _post_card(self, run: Run, team: HumanTeam, handoff: Handoff) -> None:
        channel = handoff.agent if handoff.stage == "agent" else team.channel
        card = await self.card(run.conversation, team, handoff, WAITING.format(
            wait=f"usually {team.wait_text()}"), (Button("Claim", handoff.id, CLAIM,
                                                          "primary"),))
        where = Conversation(f"{team.name}:{channel}", run.conversation.team, channel, None,
                             "team", team.name)
        ts = await self.host.replies.post(run, team, card.summary(), handoff.id, to=where,
                                          card=card)
        await self.host.storage.save_handoff(replace(handoff, card_channel=channel,
                                                     card_ts=ts, updated_at=time.time()))

    async def card(self, conversation: Conversation, team: HumanTeam, handoff: Handoff,
                   status: str, buttons: tuple[Button, ...] = ()) -> TeamCard:
        """The card as it stands: the thread so far, what the bots stored, the note."""
        poster = self.host.replies.poster
        entries = await self.host.storage.context.entries(scope="conversation",
                                                          scope_key=conversation.id)
        sender = self.host.registry.personas.get(handoff.sender)
        return TeamCard(
            team.display_name or team.name, sender.display_name or sender.name if sender
            else handoff.sender, handoff.asker, handoff.message, status,
            tuple(await poster.recent(conversation, RECENT)),
            tuple((f"{e.namespace}.{e.key}", json.dumps(e.value, ensure_ascii=False))
                  for e in entries), handoff.note, poster.link(conversation), buttons)

    # --- the team's buttons and command ------------------------------------------------

    async def claim(self, run: Run, team: HumanTeam, handoff: Handoff, agent: str) -> None:
        """The first agent to click Claim owns the conversation and joins the thread."""
        claimed = await self.host.storage.claim_handoff(handoff.id, agent)
        if claimed is None:  # another card of the same wait was claimed first
            await self.host.replies.poster.whisper(
                run.click.channel if run.click else team.channel, agent,
                "Someone else has this one already, or its wait ended.")
            return
        run.conversation = replace(run.conversation, owner=f"human:{agent}")
        name, picture = await self.host.replies.poster.person(agent)
        release = (Button("Back to bots", claimed.id, RELEASE),)
        await self._show(team, claimed, f"Claimed by <@{agent}>: reply in the thread",
                         release)
        voice = Persona(team.name, display_name=name, icon=picture or team.icon)  # their own
        await self.host.replies.post(run, voice, JOINED.format(name=name,
                                                               team=team.display_name),
                                     claimed.id)
        log.info("handoff %s claimed by %s", claimed.id, agent)

    async def release(self, run: Run, team: HumanTeam, handoff: Handoff, agent: str,
                      target: str | None = None, message: str | None = None
                      ) -> TransferResult:
        """Hand the conversation back to the bots: the entry persona, or the persona
        serving ``target`` (a skill, or an intent "domain.intent" it starts on at once),
        with ``message`` for its own matching; with neither, its welcome."""
        registry = self.host.registry
        intent = target if target and "." in target else None
        skill = target or registry.entry_skill()
        if intent is not None:
            owner = registry.persona_for_intent(intent)
            skill = owner.skills[0] if owner and owner.skills else intent
        await self.host.storage.save_handoff(replace(handoff, status="released",
                                                     updated_at=time.time()))
        request = TransferRequest(skill, intent=intent, message=message, kind="release",
                                  by=f"human:{agent}")
        result = await self.host.transfers.carry_out(request, run, team, self.host)
        back = registry.personas.get(result.to_persona or "")
        await self._show(team, handoff, f"Back with {back.display_name if back else 'the bots'}"
                         f", handed back by <@{agent}>" if result.ok else
                         f"Could not hand it back: {result.reason}")
        return result

    async def _show(self, team: HumanTeam, handoff: Handoff, status: str,
                    buttons: tuple[Button, ...] = ()) -> None:
        if handoff.card_channel and handoff.card_ts:
            conversation = await self.host.storage.conversation(handoff.conversation)
            if conversation is not None:
                card = await self.card(conversation, team, handoff, status, buttons)
                await self.host.replies.poster.update(handoff.card_channel, handoff.card_ts,
                                                      card, team.name)

    # --- when a wait ends --------------------------------------------------------------

    async def due(self, now: float) -> list[InboxEntry]:
        """A timer entry for each wait that ended by ``now`` (keyed by the handoff and its
        stage, so one instance runs it, once)."""
        entries = []
        for handoff in await self.host.storage.handoffs(due_by=now):
            conversation = await self.host.storage.conversation(handoff.conversation)
            if conversation is None:
                continue
            sequence = conversation.id if conversation.kind != "dm" else \
                f"{conversation.team}:{conversation.channel}"
            entries.append(InboxEntry(f"timer:{handoff.id}:{handoff.stage}", "timer", sequence,
                                      {"handoff": handoff.id, "stage": handoff.stage},
                                      created_at=now, updated_at=now, ordinal=handoff.due_at))
        return entries

    async def wait_ended(self, entry: InboxEntry) -> None:
        """A named agent did not claim in time: the whole team is asked. The team did not:
        the transfer fails (a fallback skill takes over, or the sender answers)."""
        found = await self.find(entry.payload["handoff"])
        if found is None:
            return
        handoff, conversation, team = found
        if handoff.status != "waiting" or handoff.stage != entry.payload["stage"]:
            return  # claimed meanwhile, or this stage's timer ran already
        run = Run(self.said_by_asker(handoff, conversation, entry.key), conversation,
                  key=entry.key, replay=True, chain=[team.name])
        if handoff.stage == "agent":
            await self._show(team, handoff, f"Not claimed in time by <@{handoff.agent}>: "
                             "passed to the whole team")
            moved = replace(handoff, stage="team", due_at=team.due(time.time(), first=False),
                            updated_at=time.time())
            await self.host.storage.save_handoff(moved)
            await self._post_card(run, team, moved)
            return
        await self.expire(run, team, handoff)

    async def expire(self, run: Run, team: HumanTeam, handoff: Handoff) -> None:
        reason = f"nobody in {team.name} claimed it within {duration(team.claim_timeout)}"
        await self.host.storage.save_handoff(replace(handoff, status="expired",
                                                     updated_at=time.time()))
        await self.host.storage.update_transfer(handoff.id, status="failed", reason=reason,
                                                owner=handoff.sender)
        run.conversation = replace(run.conversation, owner=handoff.sender)
        await self._show(team, handoff, "Nobody claimed it in time: back with the bots")
        sender = self.host.registry.persona(handoff.sender)
        run.chain[:] = [sender.name]
        log.info("handoff %s: %s", handoff.id, reason)
        fallback = self.host.registry.fallback_skills.get(team.skills[0])
        if fallback:
            result = await self.host.transfers.carry_out(
                TransferRequest(fallback, message=handoff.message), run, sender, self.host)
            if result.ok:
                return
        await self.host.answer_failure(run, sender, TransferResult(
            False, handoff.id, team.skills[0], team.name, reason))

    async def find(self, handoff_id: str) -> tuple[Handoff, Conversation,
                                                       HumanTeam] | None:
        for handoff in await self.host.storage.handoffs():
            if handoff.id == handoff_id:
                team = self.host.registry.personas.get(handoff.team)
                conversation = await self.host.storage.conversation(handoff.conversation)
                if isinstance(team, HumanTeam) and conversation is not None:
                    return handoff, conversation, team
        return None

    @staticmethod
    def said_by_asker(handoff: Handoff, conversation: Conversation,
                       event_id: str) -> IncomingMessage:
        """The Run's message for what happens after a wait: the asker's words again."""
        return IncomingMessage(event_id, conversation.team, conversation.channel,
                               handoff.asker, handoff.message or "",
                               f"{handoff.created_at:.6f}", conversation.thread_ts,
                               conversation.kind == "dm", False)

    def silent(self, conversation: Conversation) -> bool:
        """Whether the bots keep quiet in this conversation: a person owns it, or it
        waits for one."""
        owner = self.host.registry.personas.get(conversation.owner)
        return agent_of(conversation.owner) is not None or isinstance(owner, HumanTeam)
