"""Transfers: the Bot Transfer Context, the result a sender gets, and the ledger."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .errors import did_you_mean
from .intents import Intent

if TYPE_CHECKING:
    from .persona import Persona

DEFAULT_MAX_TRANSFERS = 3


@dataclass(frozen=True)
class IntentMatch:
    """The intent that started a dialog, with the classifier's score (1.0 when transferred)."""

    domain: str
    name: str
    id: str
    score: float

    @classmethod
    def of(cls, intent: Intent, score: float) -> IntentMatch:
        return cls(intent.domain, intent.name, intent.id, score)

    @property
    def qualified_name(self) -> str:
        return f"{self.domain}.{self.name}"


@dataclass(frozen=True)
class TransferContext:
    """What a transfer carries to the receiver: an intent and/or the user's message."""

    transfer_id: str
    from_persona: str
    skill: str
    intent_id: str | None = None
    intent: IntentMatch | None = None  # None when the intent ID is not one of ours
    message: str | None = None


@dataclass(frozen=True)
class TransferResult:
    """What ``turn.transfer`` returns; ``reason`` says why when ``ok`` is False."""

    ok: bool
    transfer_id: str
    skill: str
    to_persona: str | None = None
    reason: str | None = None


def pick_receiver(
    skills: Mapping[str, Sequence[Persona]],
    fallback_skills: Mapping[str, str],
    sender: Persona,
    skill: str,
    *,
    chain: Sequence[str],
    max_transfers: int,
) -> tuple[Persona | None, str, str | None]:
    """The transfer rules: who receives ``skill`` (the first available persona in
    registration order, else the fallback skill's), or why nobody does, and who a
    refused transfer would have gone to. ``chain`` lists this message's owners so far."""
    if len(chain) - 1 >= max_transfers:
        return None, (f"loop guard: this message already caused {len(chain) - 1} transfers "
                      f"(limit {max_transfers})"), None
    if skill not in skills:
        return None, f"unknown skill {skill!r}.{did_you_mean(skill, skills)}", None
    tried: list[str] = []
    while skill and skill not in tried:
        tried.append(skill)
        available = [p for p in skills.get(skill, []) if p is not sender and p.available]
        fresh = [p for p in available if p.name not in chain]
        if fresh:
            return fresh[0], "", fresh[0].name
        if available:
            bounce = " -> ".join([*chain, available[0].name])
            return None, (f"loop guard: {available[0].name} already had this message "
                          f"({bounce})"), available[0].name
        skill = fallback_skills.get(skill, "")
    if not any(p is not sender for s in tried for p in skills.get(s, [])):
        return None, f"{sender.name} is the only persona serving skill {tried[0]!r}", None
    return None, f"no persona is available for skill {' or '.join(map(repr, tried))}", None


def new_transfer_id() -> str:
    return "tr_" + uuid.uuid4().hex[:20]


LEDGER_COLUMNS = (
    "id", "conversation", "from_persona", "to_persona", "skill", "intent_id", "message",
    "status", "reason", "kind", "resolution", "event_id", "created_at", "updated_at",
)


class Ledger:
    """One row per transfer attempt: who, to whom, with what, and how it ended."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, **row: Any) -> None:
        now = time.time()
        row = {"created_at": now, "updated_at": now, **row}
        self._db["ledger"].insert(row)

    def update(self, transfer_id: str, **changes: Any) -> None:
        self._db["ledger"].update(transfer_id, {**changes, "updated_at": time.time()})

    def rows(self, conversation: str | None = None) -> list[dict[str, Any]]:
        """Ledger rows, oldest first; only one conversation's when given."""
        where, args = ("WHERE conversation = ?", [conversation]) if conversation else ("", [])
        cursor = self._db.execute(
            f"SELECT {', '.join(LEDGER_COLUMNS)} FROM ledger {where} ORDER BY created_at, rowid",
            args,
        )
        return [dict(zip(LEDGER_COLUMNS, row, strict=False)) for row in cursor.fetchall()]
