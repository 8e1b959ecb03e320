"""The storage seam: everything Baton keeps, behind async methods and typed rows.

The engine, the Slack side, the CLI and the playground see only this protocol; SQLite
(adapter/storage/sqlite) implements it, and another backend implements the same methods
without touching them. Personas never see it: they use ``turn.store``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from .rows import Claimed, ContextEntry, Conversation, Handoff, InboxEntry, LedgerRow


class ContextBackend(Protocol):
    """The context store's data: namespaced JSON values per scope key, with expiry."""

    def declare(self, namespaces: Mapping[str, float | None]) -> None:
        """Namespaces the personas use (name -> TTL seconds); checked now, registered
        now or before the first call."""

    async def register_namespace(self, name: str, ttl: float | None = None) -> None: ...
    async def delete_namespace(self, name: str) -> None: ...
    async def get(self, namespace: str, key: str, *, scope: str, scope_key: str,
                  default: Any = None) -> Any: ...
    async def set(self, namespace: str, key: str, value: Any, *, scope: str, scope_key: str,
                  ttl: float | None = None) -> None: ...
    async def delete(self, namespace: str, key: str, *, scope: str, scope_key: str) -> None: ...
    async def update(self, namespace: str, key: str, fn: Callable[[Any], Any], *, scope: str,
                     scope_key: str, default: Any = None, ttl: float | None = None) -> Any: ...
    async def incr(self, namespace: str, key: str, by: int | float = 1, *, scope: str,
                   scope_key: str) -> int | float: ...
    async def all(self, namespace: str, *, scope: str, scope_key: str) -> dict[str, Any]: ...
    async def clear(self, namespace: str, *, scope: str, scope_key: str) -> None: ...
    async def entries(self, *, scope: str, scope_key: str) -> list[ContextEntry]: ...
    async def purge_expired(self) -> int: ...


class Storage(Protocol):
    """Conversations and owners, open questions, the ledger, admitted events and the
    context store."""

    context: ContextBackend
    # True when several processes share it: then entries are claimed (leased) before a
    # Run, so that one instance runs each, in its conversation's order.
    shared: bool

    # --- the inbox: admitted events until their Run is done ---------------------------
    async def admit(self, entry: InboxEntry) -> bool:
        """Record an event before Slack gets its ack; False when its key is there already
        (a retry, or the other twin of one post)."""

    async def inbox_entry(self, key: str) -> InboxEntry | None: ...

    async def inbox(self, status: str | None = None) -> list[InboxEntry]:
        """Entries, oldest first; only those with ``status`` when given."""

    async def begin_attempt(self, key: str) -> int:
        """Count one more attempt at an entry's Run; returns how many there were."""

    async def fail_attempt(self, key: str, error: str, *, park: bool = False) -> None:
        """Note why an attempt failed; with ``park``, give the entry up."""

    async def claim(self, entry: InboxEntry, owner: str, lease: float) -> bool | None:
        """(Shared storage) lease an entry to ``owner`` to run it: None when another holds
        its conversation or an earlier entry there is pending; else whether it was leased
        before (so an earlier attempt may have posted some of its replies)."""

    async def renew(self, key: str, owner: str, lease: float) -> None:
        """(Shared storage) keep ``owner``'s lease on an entry it is still running."""

    async def release(self, key: str, owner: str) -> None:
        """(Shared storage) give up ``owner``'s lease on an entry it will not finish."""

    async def finish(self, entry: InboxEntry, conversation: Conversation | None, ts: float,
                     *, claimant: tuple[str, float] | None = None) -> Claimed | None:
        """Mark an entry done, storing (or touching, as ``save_conversation``) its
        conversation in the same transaction. A done entry is never run again, so its
        replies need no record in the outbox. On shared storage, with ``claimant`` (owner,
        lease): the conversation's next pending entry, claimed for it in the same call,
        if it can be had."""

    # --- the outbox: every reply by its stable id ---------------------------------------
    async def reply_status(self, reply_id: str) -> tuple[str, str | None] | None:
        """("delivered", Slack's ts) for a reply id the outbox knows, else None."""

    async def mark_delivered(self, replies: Sequence[tuple[str, str, str | None]]) -> None:
        """Note that Slack has these replies (reply id, conversation, ts)."""

    async def mark_streaming(self, reply_id: str, conversation: str, ts: str) -> None:
        """Note that a streamed reply has begun in Slack at ``ts`` and is not whole yet
        ("streaming"; a delivered reply stays delivered)."""

    # --- conversations ----------------------------------------------------------------
    async def conversation(self, conversation_id: str) -> Conversation | None: ...

    async def latest_dm(self, team: str, channel: str) -> tuple[Conversation, float] | None:
        """A DM channel's latest conversation and the Slack ts of its latest message."""

    async def save_conversation(self, conversation: Conversation, ts: float) -> None:
        """Create it, or note its message at Slack ts ``ts`` (DM idle timeouts count from
        the latest); its owner and open question are left as stored."""

    async def set_expected(self, conversation: Conversation, *,
                           origin: tuple[str, Conversation] | None = None) -> None:
        """Store the conversation's open question (``expecting``, ``expecting_until``;
        None clears it), creating the conversation if needed. ``origin`` (inbox key, the
        conversation as the Run found it) is kept with the entry in the same transaction."""

    # --- the ledger -------------------------------------------------------------------
    async def record_transfer(self, row: LedgerRow, *, handed: Conversation | None = None,
                              origin: tuple[str, Conversation] | None = None) -> None:
        """Add (or, for a Run run again, replace) a ledger row and, when ``handed`` is
        given, store that conversation with its new owner, in one transaction; ``origin``
        as for ``set_expected``."""

    async def update_transfer(self, transfer_id: str, *, owner: str | None = None,
                              **changes: Any) -> None:
        """Change a ledger row (status, reason, resolution) and, when ``owner`` is given,
        the conversation's owner, in one transaction."""

    async def transfers(self, conversation: str | None = None) -> list[LedgerRow]:
        """Ledger rows, oldest first; one conversation's when given."""

    # --- handoffs to human teams ----------------------------------------------------
    async def save_handoff(self, handoff: Handoff) -> None:
        """Add a handoff, or replace it under its id (a Run run again saves it again)."""

    async def handoffs(self, *, conversation: str | None = None, status: str | None = None,
                       due_by: float | None = None) -> list[Handoff]:
        """Handoffs, oldest first: one conversation's, with one status, or (``due_by``)
        those still waiting whose wait ended by then."""

    async def claim_handoff(self, handoff_id: str, agent: str) -> Handoff | None:
        """In one transaction, if the handoff still waits: claimed by ``agent``, the
        conversation's owner ``human:agent``, its ledger row completed. None when it does
        not wait any more (another agent was first, or the wait ended)."""

    # --- lifecycle --------------------------------------------------------------------
    async def maintain(self, *, purge: bool, now: float | None = None) -> None:
        """Housekeeping the app runs every few seconds: checkpoints, and with ``purge``,
        dropping expired context entries and what is past its retention (``retention``:
        old dedup keys, outbox rows, finished transfers), counted back from ``now``. Safe
        when several instances run it at once."""

    async def table_sizes(self) -> dict[str, dict[str, int]]:
        """Rows and bytes (indexes included) of each table, and of the whole database."""

    def stats(self) -> dict[str, float]:
        """What the backend counted since it opened (on PostgreSQL: seconds claims waited
        for advisory locks, seconds refused entries waited for their conversation, seconds
        statements queued for a pooled connection)."""

    async def aclose(self) -> None:
        """Release what lives in the event loop (a connection pool), when the app stops."""

    def close(self) -> None:
        """Release the database (after the app has stopped)."""
