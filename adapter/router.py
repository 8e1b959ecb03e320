"""Router: the entry persona that works out which skill a message is for and hands it on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .buttons import Button
from .handoff import WAY_BACK as WAY_BACK_ACTION
from .intents import IntentMatch, SkillMatch
from .persona import Persona
from .routing import (
    AREA_INTENT,
    SKILL_SURE,
    SKILL_THRESHOLD,
    SURE,
    Decision,
    Option,
    Thresholds,
    decide,
    options_for,
)
from .turn import Directory, Turn

CHOICES = "router_choices"  # the clarifying question's options, while it waits for a click
WAY_BACK = "Not what I meant"  # the button on a desk's first answer after routing
NOT_SURE = "I'm not sure I can help with that. I can connect you with:"
ASK = "Just to be sure I send you to the right place: is this for {} or {}?"
SORRY = "Sorry about that. Is it for {} or {}?"
SORRY_ONE = "Sorry about that. Is it for {}?"


@dataclass(eq=False)
class Router(Persona):
    """Works out which skill a message is for, by skill and by intent, and transfers it
    with the message (and the intent, when one is sure enough), so the desk answers at once.

    A message in a desk's area that none of its intents names still goes to that desk,
    whose own matching or fallback answers it. When it is unsure between two skills it
    asks with buttons; only when no skill fits does it list what the personas help with
    and keep the conversation. The desk's first answer carries a "Not what I meant" button:
    its click brings the conversation back here, records the misroute in the ledger
    (``baton misroutes``) and offers the next skills. Add pattern dialogs (greetings,
    help) as to any persona; routing is its fallback.
    """

    name: str = "router"
    skill: str | None = "front_desk"
    display_name: str | None = "Helpdesk"
    icon: str | None = ":compass:"
    sure: float = SURE
    skill_threshold: float = SKILL_THRESHOLD
    skill_sure: float = SKILL_SURE
    area_intent: float = AREA_INTENT
    way_back: str | None = WAY_BACK  # None: desks' first answers carry no way back

    def __post_init__(self) -> None:
        super().__post_init__()
        self.reroute = False  # routing is this persona's whole job; see route()
        self.namespaces = {CHOICES: 24 * 3600, **self.namespaces}
        self.fallback(self.route)
        self.button("route")(self.chosen)
        self.button(WAY_BACK_ACTION)(self.not_meant)

    # --- deciding -----------------------------------------------------------------------

    def limits(self, directory: Directory) -> Thresholds:
        return Thresholds(directory.intent_threshold, self.sure, self.skill_threshold,
                          self.skill_sure, self.area_intent)

    def options(self, intents: Sequence[IntentMatch], skills: Sequence[SkillMatch],
                directory: Directory) -> list[Option]:
        """The skills this router may send a message to, strongest first."""
        skill_of = {}
        for match in intents:
            persona = directory.persona_for_intent(match.qualified_name)
            if persona is not None and persona is not self and persona.skills:
                skill_of[match.qualified_name] = persona.skills[0]
        mine = set(self.skills)
        return options_for(intents, [s for s in skills if s.skill not in mine], skill_of)

    def decision(self, intents: Sequence[IntentMatch], skills: Sequence[SkillMatch],
                 directory: Directory) -> Decision:
        """What this router does with a message ranked so: ``baton route`` prints it."""
        return decide(self.options(intents, skills, directory), self.limits(directory))

    # --- dialogs ------------------------------------------------------------------------

    async def route(self, turn: Turn) -> None:
        decision = self.decision(turn.ranked(), turn.ranked_skills(), turn.directory)
        if decision.action == "menu":
            await turn.say(menu(turn.directory, self))
        elif decision.action == "ask":
            await self.ask(turn, decision.options, turn.text, ASK)
        else:
            top, intent = decision.options[0], decision.intent
            await turn.transfer(top.skill, intent=intent.qualified_name if intent else None,
                                message=turn.text, way_back=self.way_back)

    async def ask(self, turn: Turn, options: Sequence[Option], message: str,
                  question: str) -> None:
        """One short question, a button per skill; the message waits in the store."""
        limit = self.area_intent  # the user decides the skill: its likely intent goes along
        await turn.store.set(CHOICES, "pending", {
            "message": message,
            "options": [{"skill": o.skill, "intent": o.match.qualified_name
                         if o.match and o.match.score >= limit else None} for o in options],
        })
        names = [_name(turn.directory, o.skill) for o in options]
        buttons = [Button(name, str(i), "route") for i, name in enumerate(names)]
        await turn.say(question.format(*names),
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

    async def not_meant(self, turn: Turn) -> None:
        """"Not what I meant": take the conversation back, then offer the next skills."""
        original = await turn.undo_transfer(turn.clicked.value if turn.clicked else "")
        if original is None or not original.message:
            await turn.say(menu(turn.directory, self))
            return
        text = original.message
        rest = [o for o in self.options(turn.ranked(text), turn.ranked_skills(text),
                                        turn.directory) if o.skill != original.skill]
        offered = {original.skill, *self.skills, *(o.skill for o in rest)}
        rest += [Option(skill) for skill in dict.fromkeys(
            p.skills[0] for p in turn.directory.personas.values()
            if p.skills and p.available and p.skills[0] not in offered)]
        if not rest:
            await turn.say(menu(turn.directory, self))
            return
        await self.ask(turn, rest[:2], text, SORRY if len(rest) > 1 else SORRY_ONE)


def _name(directory: Directory, skill: str) -> str:
    persona = directory.persona_for_skill(skill)
    return (persona.display_name or persona.name) if persona else skill


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
