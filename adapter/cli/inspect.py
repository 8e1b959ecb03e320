"""``baton transfers`` and ``baton context show``: what the app recorded, read from the
database ``baton run`` uses, without loading a classifier."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..checks import unique_domains
from ..errors import BatonError
from ..persona import Persona
from ..settings import Settings
from ..storage import LedgerRow, Storage, is_database_url, open_storage
from .loading import load_bots

SHORT = 60  # characters of a message `baton transfers` shows without --full
T = TypeVar("T")


def read(settings: Settings, query: Callable[[Storage], Awaitable[T]]) -> T:
    """Run one query against the database ``baton run`` would use; says which file it is
    and refuses one that does not exist (rather than creating it)."""
    import asyncio

    if is_database_url(settings.database):
        where: str | Path = settings.database
        print(f"reading {_without_password(settings.database)}", file=sys.stderr)
    else:
        where = Path(settings.db).resolve()
        if not where.exists():
            raise BatonError(f"no database at {where}: give the one `baton run` uses with "
                             "--db, BATON_DB or db in baton.toml.")
        print(f"reading {where}", file=sys.stderr)
    storage = open_storage(where)

    async def once() -> T:
        try:
            return await query(storage)
        finally:
            await storage.aclose()

    try:
        return asyncio.run(once())
    finally:
        storage.close()


def _without_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def intent_names(settings: Settings) -> dict[str, str]:
    """Intent ID -> "domain.intent" for the bots' intents; empty when they do not import.
    Reads the personas' domains only: no classifier is fitted or loaded."""
    try:
        personas = load_bots(settings.bots).personas
    except BatonError:
        return {}
    return {intent.id: intent.qualified_name
            for domain in unique_domains([p for p in personas if isinstance(p, Persona)])
            for intent in domain.intents.values()}


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def transfer_line(row: LedgerRow, intent: str | None, *, full: bool) -> str:
    """One ledger row on one line: time, id, kind, conversation, hop, context, status."""
    status = row.status + (f" ({row.reason})" if row.reason else "")
    named = f"{intent} " if intent else ""
    context = f" intent={named}({row.intent_id})" if row.intent_id else ""
    if row.message:
        context += f" message={row.message if full else shorten(row.message)!r}"
    return (f"{_when(row.created_at)} {row.id} {row.kind} {row.conversation} "
            f"{row.from_persona} -> {row.to_persona or '-'} skill={row.skill}{context} {status}")


def print_transfers(settings: Settings, conversation: str | None, *, full: bool,
                    as_json: bool) -> int:
    rows = read(settings, lambda storage: storage.transfers(conversation))
    names = intent_names(settings)
    if not rows and not as_json:
        print(f"no transfers{f' in conversation {conversation}' if conversation else ''}")
    for row in rows:
        intent = names.get(row.intent_id or "")
        if as_json:
            print(json.dumps({**row.as_dict(), "intent": intent}, ensure_ascii=False))
        else:
            print(transfer_line(row, intent, full=full))
    return 0


def print_context(settings: Settings, scope: str, key: str) -> int:
    async def query(storage: Storage) -> list[Any]:
        return await storage.context.entries(scope=scope, scope_key=key)

    entries = read(settings, query)
    if not entries:
        print(f"nothing stored for {scope} {key}")
    for entry in entries:
        until = (" (expires " + datetime.fromtimestamp(entry.expires_at, UTC)
                 .isoformat(timespec="seconds") + ")") if entry.expires_at else ""
        value = json.dumps(entry.value, ensure_ascii=False)
        print(f"{entry.namespace}.{entry.key} = {value}{until}")
    return 0


def print_inbox(settings: Settings, status: str | None) -> int:
    """The inbox's unfinished entries (or those with ``status``): what is waiting or
    parked, why, and how often it was tried."""
    async def query(storage: Storage) -> list[Any]:
        if status:
            return await storage.inbox(status)
        return [e for e in await storage.inbox() if e.status != "done"]

    entries = read(settings, query)
    if not entries:
        print(f"no {status or 'pending or parked'} entries")
    for entry in entries:
        payload = entry.payload
        said = payload.get("text") if entry.kind == "message" else payload.get("label")
        error = f" error={entry.error}" if entry.error else ""
        print(f"{_when(entry.created_at)} {entry.status} {entry.key} user={payload.get('user')} "
              f"attempts={entry.attempts} {entry.kind}={shorten(str(said or ''))!r}{error}")
    return 0


def misroutes(rows: list[LedgerRow]) -> list[tuple[LedgerRow, LedgerRow | None]]:
    """Each "Not what I meant" (a ledger row of kind "misroute") with the transfer its
    conversation made next from the persona that took it back: where the user went instead
    (None: nowhere yet)."""
    found = []
    for n, row in enumerate(rows):
        if row.kind != "misroute":
            continue
        after = (r for r in rows[n + 1:] if r.conversation == row.conversation
                 and r.from_persona == row.to_persona and r.status == "completed")
        found.append((row, next(after, None)))
    return found


def print_misroutes(settings: Settings, *, as_tsv: bool) -> int:
    """Messages whose user said the desk was "Not what I meant": where they were sent, with
    which intent, and where they went next. ``as_tsv``: area<TAB>text rows of those that
    went somewhere, to review and add as that desk's phrases or examples."""
    found = misroutes(read(settings, lambda storage: storage.transfers(None)))
    names = intent_names(settings)
    if as_tsv:
        for row, chosen in found:
            if chosen is not None and chosen.to_persona and row.message:
                print(f"{chosen.to_persona}\t{' '.join(row.message.split())}")
        return 0
    if not found:
        print("no misroutes: nobody has clicked \"Not what I meant\"")
    for row, chosen in found:
        intent = names.get(row.intent_id or "", row.intent_id) if row.intent_id else None
        sent = row.from_persona + (f" ({intent})" if intent else " (message only)")
        then = chosen.to_persona if chosen else "-"
        print(f"{_when(row.created_at)} {row.conversation} sent to {sent}, then {then}: "
              f"{shorten(row.message or '')!r}")
    return 0
