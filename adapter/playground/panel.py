"""The side panel: a thread's owner, its transfer ledger, and what the context store holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..fake_slack import TEAM_ID

if TYPE_CHECKING:
    from ..app import App


def persona_json(app: App, name: str | None) -> dict[str, Any] | None:
    """A persona as the page shows it; a name no persona has is kept, so nothing is hidden."""
    if name is None:
        return None
    persona = app.personas.get(name)
    if persona is None:
        return {"name": name, "display_name": name, "icon": None, "skills": []}
    return {"name": persona.name, "display_name": persona.display_name, "icon": persona.icon,
            "skills": list(persona.skills), "description": persona.description}


def personas_json(app: App) -> list[dict[str, Any]]:
    """Every persona, the entry persona first."""
    names = sorted(app.personas, key=lambda name: name != app.entry)
    return [persona for name in names if (persona := persona_json(app, name)) is not None]


def transfer_json(app: App, row: dict[str, Any]) -> dict[str, Any]:
    """One ledger row, with the personas' display names beside their names."""
    return {
        "id": row["id"], "status": row["status"], "reason": row["reason"],
        "kind": row["kind"], "resolution": row["resolution"],
        "from": persona_json(app, row["from_persona"]), "to": persona_json(app, row["to_persona"]),
        "skill": row["skill"], "intent_id": row["intent_id"],
        "intent": _intent_name(app, row["intent_id"]), "message": row["message"],
        "created_at": row["created_at"],
    }


def _intent_name(app: App, intent_id: str | None) -> str | None:
    """``domain.intent`` for an intent ID of this app; None for others (shown as the ID)."""
    intent = app.registry.catalog.by_id(intent_id) if intent_id else None
    return intent.qualified_name if intent else None


def entries_json(app: App, scope: str, scope_key: str) -> list[dict[str, Any]]:
    """Live context-store entries of one scope, every namespace."""
    return [{**entry, "scope": scope}
            for entry in app.context.entries(scope=scope, scope_key=scope_key)]


def panel_json(app: App, channel: str, thread: str | None, user: str) -> dict[str, Any]:
    """What the side panel shows for a thread (or a DM's current conversation) and a user.

    ``thread`` None in a DM means its latest conversation, as the app itself finds it.
    """
    found = app.engine.conversations.latest(TEAM_ID, channel, thread)
    user_entries = entries_json(app, "user", user)
    if found is None:
        return {"conversation": None, "owner": None, "transfers": [],
                "context": {"conversation": [], "user": user_entries}, "user": user}
    return {
        "conversation": {"id": found.id, "kind": found.kind, "channel": found.channel,
                         "thread_ts": found.thread_ts},
        "owner": persona_json(app, found.owner),
        "transfers": [transfer_json(app, row) for row in app.transfers(found.id)],
        "context": {"conversation": entries_json(app, "conversation", found.id),
                    "user": user_entries},
        "user": user,
    }
