"""The App Home tab: the personas and what each helps with, and the user's recent
conversations with whoever answers them now, as a frozen value (the Slack side renders
it as Block Kit and publishes it when the user opens the tab)."""

from __future__ import annotations

from dataclasses import dataclass

from .conversations import users_threads
from .humans import HumanTeam, agent_of
from .persona import Persona
from .registry import Registry
from .storage import Conversation, Storage

EXAMPLES = 2  # phrases shown per persona, from its intents
RECENT = 5  # conversations shown


@dataclass(frozen=True)
class Desk:
    """One persona (or human team) as the directory lists it."""

    name: str
    display_name: str
    icon: str | None
    about: str  # its description, else its intents' names
    try_saying: tuple[str, ...]  # a few of its training phrases
    people: bool  # a human team, not a bot


@dataclass(frozen=True)
class Recent:
    """One of the user's recent conversations."""

    conversation: Conversation
    owner: str  # who answers it now, in words
    link: str | None


@dataclass(frozen=True)
class HomeView:
    """What the user's App Home shows."""

    user: str
    desks: tuple[Desk, ...]
    recent: tuple[Recent, ...]


def desk_of(persona: Persona) -> Desk:
    intents = [i for d in persona.domains for i in d.intents.values()]
    about = persona.description or ", ".join(i.name.replace("_", " ") for i in intents)
    phrases = tuple(i.phrases[0] for i in intents[:EXAMPLES] if i.phrases)
    return Desk(persona.name, persona.display_name or persona.name, persona.icon, about,
                phrases, isinstance(persona, HumanTeam))


PROMPTS = 4  # Slack shows at most four suggested prompts


def prompts(registry: Registry) -> list[dict[str, str]]:
    """A new agent thread's suggested prompts: one per persona (its name, and the first
    phrase of its first intent), as many as Slack shows."""
    found = []
    for desk in (desk_of(p) for p in registry.personas.values()
                 if p.name != registry.entry and p.skills and p.available):
        if desk.try_saying and not desk.people:
            found.append({"title": desk.display_name, "message": desk.try_saying[0]})
    return found[:PROMPTS]


async def home_view(registry: Registry, storage: Storage, user: str,
                    link: object = None) -> HomeView:
    """The directory (every available persona but the entry) and the user's latest
    conversations from the inbox's memory (a day), newest first. ``link`` makes a
    conversation's link (the Slack side's), when given."""
    desks = tuple(desk_of(p) for p in registry.personas.values()
                  if p.name != registry.entry and p.skills and p.available)
    seen: list[Conversation] = []
    for team, channel, thread in await users_threads(storage, user):
        found = await storage.conversation(f"{team}:{channel}:{thread}")
        if found is not None:
            seen.append(found)
        if len(seen) >= RECENT:
            break
    recent = tuple(Recent(c, owner_words(registry, c.owner), link(c) if callable(link)
                          else None) for c in seen)
    return HomeView(user, desks, recent)


def owner_words(registry: Registry, owner: str | None) -> str:
    """Who an owner value is, as the user reads it: a person's mention, a persona's
    display name, else the value itself ("nobody" for none)."""
    person = agent_of(owner or "")
    if person is not None:
        return f"<@{person}>"
    persona = registry.personas.get(owner or "")
    return persona.display_name or persona.name if persona else (owner or "nobody")
