"""Which conversation a message belongs to: a Slack thread, or a DM until it goes idle."""

from __future__ import annotations

from .message import IncomingMessage
from .storage import Conversation, Storage


def is_agent_thread(conversation: Conversation) -> bool:
    """A thread in the user's DM with the app: Slack's agent (assistant) thread, where it
    shows a status line and streams replies."""
    return conversation.channel.startswith("D") and conversation.thread_ts is not None


def thread_id(message: IncomingMessage) -> str:
    """The id of the thread conversation a channel message belongs to (team:channel:root)."""
    return f"{message.team}:{message.channel}:{message.thread_ts or message.ts}"


def starts_thread(message: IncomingMessage, entry: str) -> Conversation | None:
    """The conversation a message starts on its own: a top-level mention in a channel
    starts a thread owned by ``entry``. None for anything else (replies, DMs)."""
    if message.is_dm or message.thread_ts is not None or not message.mentioned:
        return None
    return Conversation(thread_id(message), message.team, message.channel, message.ts,
                        "thread", entry)


async def resolve(storage: Storage, message: IncomingMessage, entry: str, *,
                  dm_idle_timeout: float) -> tuple[Conversation | None, bool]:
    """The conversation ``message`` belongs to, started with ``entry`` as owner if new, and
    whether it is stored already (a new one is stored when its Run ends, so that a plain
    reply writes nothing before it is posted).

    None for a reply in a channel thread the app is not part of and not mentioned in.
    """
    if message.is_dm and message.thread_ts is None:
        latest_dm = await storage.latest_dm(message.team, message.channel)
        if latest_dm is not None and float(message.ts) - latest_dm[1] <= dm_idle_timeout:
            return latest_dm[0], True
        return Conversation(f"{message.team}:{message.channel}:dm:{message.ts}", message.team,
                            message.channel, None, "dm", entry), False
    started = starts_thread(message, entry)
    if started is not None:
        return started, False  # a new thread: nobody can have stored or changed it yet
    found = await storage.conversation(thread_id(message))
    if found is not None:
        return found, True
    if message.thread_ts and not message.mentioned and not message.is_dm:
        return None, False
    root = message.thread_ts or message.ts
    return Conversation(thread_id(message), message.team, message.channel, root, "thread",
                        entry), False


async def users_threads(storage: Storage, user: str,
                        channel: str | None = None) -> list[tuple[str, str, str]]:
    """The threads ``user`` wrote in lately, from the inbox's memory (a day): (team,
    channel, the thread's ts, or the message's own outside a thread), newest first, each
    once; only those in ``channel`` when given."""
    mine = [e for e in await storage.inbox() if e.kind == "message"
            and e.payload.get("user") == user
            and (channel is None or e.payload.get("channel") == channel)]
    threads: dict[tuple[str, str, str], None] = {}
    for entry in sorted(mine, key=lambda e: e.ordinal or 0, reverse=True):
        payload = entry.payload
        threads.setdefault((str(payload.get("team")), str(payload.get("channel")),
                            str(payload.get("thread_ts") or payload.get("ts"))), None)
    return list(threads)


async def latest(storage: Storage, team: str, channel: str,
                 thread_ts: str | None) -> Conversation | None:
    """The conversation of a thread, or the latest DM conversation of a channel."""
    if thread_ts is not None:
        return await storage.conversation(f"{team}:{channel}:{thread_ts}")
    found = await storage.latest_dm(team, channel)
    return found[0] if found else None
