"""Which conversation a message belongs to: a Slack thread, or a DM until it goes idle."""

from __future__ import annotations

from .message import IncomingMessage
from .storage import Conversation, Storage


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
                  dm_idle_timeout: float) -> Conversation | None:
    """The conversation ``message`` belongs to, started with ``entry`` as owner if new.

    None for a reply in a channel thread the app is not part of and not mentioned in.
    A new thread was already stored with its message (``starts_thread``).
    """
    if message.is_dm and message.thread_ts is None:
        return await _resolve_dm(storage, message, entry, dm_idle_timeout)
    started = starts_thread(message, entry)
    if started is not None:
        return started  # stored when the message was admitted: nobody can have changed it
    found = await storage.conversation(thread_id(message))
    if found is not None:
        return found
    if message.thread_ts and not message.mentioned and not message.is_dm:
        return None
    root = message.thread_ts or message.ts
    return await storage.create_conversation(
        Conversation(thread_id(message), message.team, message.channel, root, "thread", entry),
        float(message.ts))


async def _resolve_dm(storage: Storage, message: IncomingMessage, entry: str,
                      dm_idle_timeout: float) -> Conversation:
    latest = await storage.latest_dm(message.team, message.channel)
    if latest is not None and float(message.ts) - latest[1] <= dm_idle_timeout:
        await storage.touch(latest[0].id, float(message.ts))
        return latest[0]
    return await storage.create_conversation(
        Conversation(f"{message.team}:{message.channel}:dm:{message.ts}", message.team,
                     message.channel, None, "dm", entry), float(message.ts))


async def latest(storage: Storage, team: str, channel: str,
                 thread_ts: str | None) -> Conversation | None:
    """The conversation of a thread, or the latest DM conversation of a channel."""
    if thread_ts is not None:
        return await storage.conversation(f"{team}:{channel}:{thread_ts}")
    found = await storage.latest_dm(team, channel)
    return found[0] if found else None
