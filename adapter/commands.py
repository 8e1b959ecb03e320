"""``/baton``, typed by anyone in a channel or a DM with the app:

- ``/baton who``: who owns your latest conversation here, and how it got there (the ledger);
- ``/baton restart``: that conversation goes back to the entry persona, which says hello;
- ``/baton help``: these lines;
- ``/baton release ...``: an agent hands a conversation back (``agents.py``).

Slack sends no thread with a command, so "here" is the channel: in a DM, its current
conversation; in a channel, the thread the user last wrote in. Answers go to the user
alone, but a restart, which the thread shows like any transfer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .agents import Agents
from .conversations import latest, users_threads
from .handoff import TransferRequest
from .home import owner_words
from .humans import HumanTeam, agent_of
from .message import IncomingMessage
from .run import Run
from .storage import Conversation, InboxEntry, LedgerRow

HELP = ("/baton who: who answers your latest conversation here, and how it got there\n"
        "/baton restart: start that conversation again with {entry}\n"
        "/baton release [skill or domain.intent] [message]: for an agent who claimed a "
        "conversation, hand it back to the bots\n"
        "/baton help: this list")
NOTHING = "You have no conversation with {app} here yet: mention it in a thread to start one."


class Commands:
    """Runs ``/baton`` inbox entries."""

    def __init__(self, agents: Agents) -> None:
        self.agents = agents
        self.host = agents.host

    async def run(self, entry: InboxEntry) -> None:
        words = str(entry.payload.get("text") or "").split()
        verb = words[0].lower() if words else "help"
        if verb == "release":
            await self.agents.commanded(entry)
        elif verb in ("who", "restart"):
            await self._about_conversation(entry, verb)
        else:
            entry_persona = self.host.registry.personas[self.host.registry.entry]
            await self._tell(entry, HELP.format(entry=entry_persona.display_name))

    async def _about_conversation(self, entry: InboxEntry, verb: str) -> None:
        found = await self.users_latest(entry)
        if found is None:
            await self._tell(entry, NOTHING.format(app="the app"))
            return
        if verb == "who":
            await self._tell(entry, self.describe(found, await self.host.storage.transfers(
                found.id)))
            return
        person = agent_of(found.owner)
        if person is not None:
            await self._tell(entry, f"<@{person}> is answering that conversation in person; "
                                    "ask them to hand it back to the bots.")
            return
        registry = self.host.registry
        owner = registry.persona(found.owner)
        if isinstance(owner, HumanTeam):
            await self._tell(entry, f"{owner.display_name} have been asked to join that "
                                    "conversation; /baton restart works once they hand it "
                                    "back, or once nobody has claimed it in time.")
            return
        said = IncomingMessage(entry.key, found.team, found.channel, entry.payload["user"],
                               "", f"{entry.created_at:.6f}", found.thread_ts,
                               found.kind == "dm", False)
        run = Run(said, found, key=entry.key, replay=True, chain=[owner.name])
        if owner.name == registry.entry:
            await self.host.answer_welcome(run, owner)
            return
        await self.host.transfers.carry_out(TransferRequest(registry.entry_skill(),
                                                            kind="restart"), run, owner,
                                            self.host)

    async def users_latest(self, entry: InboxEntry) -> Conversation | None:
        """The user's latest conversation in the command's channel."""
        payload = entry.payload
        if str(payload["channel"]).startswith("D"):
            return await latest(self.host.storage, payload["team"], payload["channel"], None)
        for _, channel, thread in await users_threads(self.host.storage, payload["user"],
                                                      payload["channel"]):
            found = await latest(self.host.storage, payload["team"], channel, thread)
            if found is not None:
                return found
        return None

    def describe(self, conversation: Conversation, rows: list[LedgerRow]) -> str:
        """Who owns it, and every hop that brought it there."""
        registry = self.host.registry
        lines = [f"{owner_words(registry, conversation.owner)} answers this conversation."]
        for row in rows:
            when = datetime.fromtimestamp(row.created_at, UTC).strftime("%H:%M UTC")
            intent = registry.catalog.by_id(row.intent_id) if row.intent_id else None
            why = f" ({intent.qualified_name})" if intent else ""
            ended = "" if row.status == "completed" else f", {row.status}" + (
                f": {row.reason}" if row.reason else "")
            lines.append(f"• {when} {owner_words(registry, row.from_persona)} → "
                         f"{owner_words(registry, row.to_persona)}{why}, "
                         f"{row.kind}{ended}")
        if not rows:
            lines.append(f"It started with {owner_words(registry, registry.entry)} and has "
                         "not moved since.")
        return "\n".join(lines)

    async def _tell(self, entry: InboxEntry, text: str) -> None:
        await self.host.replies.poster.whisper(entry.payload["channel"], entry.payload["user"],
                                               text)
