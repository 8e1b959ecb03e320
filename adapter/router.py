"""Router: the entry persona that classifies each message and hands it to the right skill."""

from __future__ import annotations

from dataclasses import dataclass

from .buttons import Button
from .intents import IntentMatch
from .persona import Persona
from .turn import Directory, PersonaInfo, Turn

CHOICES = "router_choices"  # the clarifying question's options, while it waits for a click
# Below this score the classifier is unsure enough that, when a second skill also
# passes the threshold, the router asks. On CLINC150's validation split it asks for
# 1.8% of in-scope messages, and 96% of those questions offer the right domain.
SURE = 0.95
NOT_SURE = "I'm not sure I can help with that. I can connect you with:"


@dataclass(frozen=True)
class Option:
    """A skill the router could send a message to, with its best intent."""

    skill: str
    persona: PersonaInfo
    match: IntentMatch


def decide(options: list[Option], threshold: float, sure: float = SURE) -> str:
    """"go" to the best option, "ask" between the best two, or show the "menu".

    Only the best score is calibrated (it estimates the chance the best intent is
    right), so the router asks when that chance is below ``sure`` and a second skill
    is also above the threshold, rather than comparing the two scores.
    """
    if not options or options[0].match.score < threshold:
        return "menu"
    if options[0].match.score < sure and len(options) > 1 and options[1].match.score >= threshold:
        return "ask"
    return "go"


@dataclass(eq=False)
class Router(Persona):
    """Classifies the message across every persona's domains and transfers it, with the
    intent and the message, to the skill of the persona that owns the intent.

    When it is unsure (best score under ``sure``) and a second skill also fits, it asks
    which one with buttons; when nothing reaches the app's intent threshold, it lists
    what the personas help with and keeps the conversation. Add pattern dialogs
    (greetings, help) as to any persona; routing is its fallback.
    """

    name: str = "router"
    skill: str | None = "front_desk"
    display_name: str | None = "Helpdesk"
    icon: str | None = ":compass:"
    sure: float = SURE
    def __post_init__(self) -> None:
        super().__post_init__()
        self.namespaces = {CHOICES: 24 * 3600, **self.namespaces}
        self.reroute = False  # routing is this persona's whole job; see route()
        self.fallback(self.route)
        self.button("route")(self.chosen)

    def options(self, turn: Turn) -> list[Option]:
        """The best intent of each skill for the turn's text, best first."""
        options: dict[str, Option] = {}
        for match in turn.ranked():
            persona = turn.directory.persona_for_intent(match.qualified_name)
            if persona is None or persona is self or not persona.skills:
                continue
            options.setdefault(persona.skills[0], Option(persona.skills[0], persona, match))
        return list(options.values())

    async def route(self, turn: Turn) -> None:
        options = self.options(turn)
        decision = decide(options, turn.directory.intent_threshold, self.sure)
        if decision == "menu":
            await turn.say(menu(turn.directory, self))
        elif decision == "ask":
            await self.ask(turn, options[:2])
        else:
            top = options[0]
            await turn.transfer(top.skill, intent=top.match.qualified_name, message=turn.text)

    async def ask(self, turn: Turn, options: list[Option]) -> None:
        """One short clarifying question, a button per skill; the message waits in the store."""
        await turn.store.set(CHOICES, "pending", {
            "message": turn.text,
            "options": [{"skill": o.skill, "intent": o.match.qualified_name} for o in options],
        })
        names = [o.persona.display_name or o.persona.name for o in options]
        buttons = [Button(name, str(i), "route") for i, name in enumerate(names)]
        await turn.say(f"Just to be sure I send you to the right place: is this for "
                       f"{names[0]} or {names[1]}?",
                       buttons=[*buttons, Button("Something else", "none", "route")])

    async def chosen(self, turn: Turn) -> None:
        pending = await turn.store.get(CHOICES, "pending")
        await turn.store.delete(CHOICES, "pending")
        choice = turn.clicked.value if turn.clicked else "none"
        if pending is None or not choice.isdigit():
            await turn.say(menu(turn.directory, self))
            return
        option = pending["options"][int(choice)]
        await turn.transfer(option["skill"], intent=option["intent"], message=pending["message"])


def menu(directory: Directory, router: Persona) -> str:
    """What the personas help with, for a message the router cannot place."""
    lines = [NOT_SURE]
    for persona in directory.personas.values():
        if persona is router or not persona.skills or not persona.available:
            continue
        about = persona.description or ", ".join(
            intent.replace("_", " ") for d in persona.domains for intent in d.intents)
        lines.append(f"• {persona.display_name}" + (f": {about}" if about else ""))
    return "\n".join(lines + ["Could you tell me a bit more about what you need?"])
