"""The side panel: a thread's owner, its transfer ledger, and what the context store holds."""

from __future__ import annotations

from typing import Any

from ..conversations import latest
from ..humans import agent_of
from ..storage import LedgerRow
from ..testing.web_api import TEAM_ID
from .app_view import PlaygroundApp
from .workspace import user_name


def persona_json(app: PlaygroundApp, name: str | None) -> dict[str, Any] | None:
    """A persona as the page shows it; a name no persona has is kept, so nothing is hidden."""
    if name is None:
        return None
    persona = app.registry.personas.get(name)
    agent = agent_of(name)
    if agent is not None:  # a person claimed it: "human:U0GRACE001"
        return {"name": name, "display_name": f"{user_name(agent)} (a person)", "icon": None,
                "skills": []}
    if persona is None:
        return {"name": name, "display_name": name, "icon": None, "skills": []}
    return {"name": persona.name, "display_name": persona.display_name, "icon": persona.icon,
            "skills": list(persona.skills), "description": persona.description}


def personas_json(app: PlaygroundApp) -> list[dict[str, Any]]:
    """Every persona, the entry persona first."""
    names = sorted(app.registry.personas, key=lambda name: name != app.registry.entry)
    return [persona for name in names if (persona := persona_json(app, name)) is not None]


def transfer_json(app: PlaygroundApp, row: LedgerRow) -> dict[str, Any]:
    """One ledger row, with the personas' display names beside their names."""
    return {
        "id": row.id, "status": row.status, "reason": row.reason,
        "kind": row.kind, "resolution": row.resolution,
        "from": persona_json(app, row.from_persona), "to": persona_json(app, row.to_persona),
        "skill": row.skill, "intent_id": row.intent_id,
        "intent": _intent_name(app, row.intent_id), "message": row.message,
        "created_at": row.created_at,
    }


def _intent_name(app: PlaygroundApp, intent_id: str | None) -> str | None:
    """``domain.intent`` for an intent ID of this app; None for others (shown as the ID)."""
    intent = app.registry.catalog.by_id(intent_id) if intent_id else None
    return intent.qualified_name if intent else None


async def entries_json(app: PlaygroundApp, scope: str, scope_key: str) -> list[dict[str, Any]]:
    """Live context-store entries of one scope, every namespace."""
    entries = await app.storage.context.entries(scope=scope, scope_key=scope_key)
    return [{"namespace": e.namespace, "key": e.key, "value": e.value,
             "expires_at": e.expires_at, "scope": scope} for e in entries]


async def panel_json(app: PlaygroundApp, channel: str, thread: str | None,
                     user: str) -> dict[str, Any]:
    """What the side panel shows for a thread (or a DM's current conversation) and a user.

    ``thread`` None in a DM means its latest conversation, as the app itself finds it.
    """
    found = await latest(app.storage, TEAM_ID, channel, thread)
    user_entries = await entries_json(app, "user", user)
    if found is None:
        return {"conversation": None, "owner": None, "transfers": [],
                "context": {"conversation": [], "user": user_entries}, "user": user}
    return {
        "conversation": {"id": found.id, "kind": found.kind, "channel": found.channel,
                         "thread_ts": found.thread_ts},
        "owner": persona_json(app, found.owner),
        "transfers": [transfer_json(app, row) for row in await app.storage.transfers(found.id)],
        "context": {"conversation": await entries_json(app, "conversation", found.id),
                    "user": user_entries},
        "user": user,
    }
