"""The entry persona: routes each request to the desk whose intent fits it.

Routing comes from ``adapter.Router``: it classifies the message across every persona's
domains and transfers with the intent and the message, so the desk answers at once; on a
close call it asks with buttons; when nothing fits it says what the desks can do.
On top of that, a user can address a desk directly ("travel: ..."), which hands the
message to that desk for its own matching.
"""

import re

from adapter import Router, Turn

from .card import card
from .out_of_scope import NOT_OURS
from .people import people
from .specialists import ASK_FOR_A_PERSON, specialists
from .travel import travel

# NOT_OURS: messages no desk handles (IT, facilities, personal matters...); the router
# learns from them to keep such a message and say what the desks do instead.
router = Router("router", display_name="Helpdesk", icon=":wave:", examples=NOT_OURS)

DESKS = {persona.name: persona for persona in (people, travel, card)}
ALIASES = {"hr": people, "people": people, "travel": travel, "card": card}
BY_SKILL = {skill: persona for persona in (*DESKS.values(), specialists)
            for skill in persona.skills}
_ADDRESSED = re.compile(r"^\s*(hr|people|travel|card)\s*:\s*(\S.*)$", re.IGNORECASE | re.DOTALL)


@router.dialog(regex=r"^\s*(hi|hello|hey|good (morning|afternoon))( there| team)?\W*$")
async def greet(turn: Turn) -> None:
    await turn.say("Hi! I can help with time off and pay (People Team), trips (Travel Desk) "
                   "or your corporate card (Corporate Card). What do you need?")


@router.dialog(pattern=["help", "menu", "what can you (do|help with)"])
async def help_(turn: Turn) -> None:
    lines = ["Just tell me what you need, in your own words, and I'll bring in the right desk:"]
    lines += [f"• {p.display_name}: {p.description}" for p in DESKS.values() if p.available]
    lines.append("To ask a desk directly, start with its name, e.g. "
                 "'travel: is there a hotel near the Oslo office?'")
    await turn.say("\n".join(lines))


@router.dialog(regex=_ADDRESSED.pattern)
async def ask_desk(turn: Turn) -> None:
    found = _ADDRESSED.match(turn.text)  # this dialog's own starter: it matches
    if found:
        desk = ALIASES[found[1].casefold()]
        await turn.transfer(desk.skills[0], message=found[2])


@router.dialog(pattern=ASK_FOR_A_PERSON)
async def person(turn: Turn) -> None:
    await turn.transfer(specialists.skills[0], message=turn.text,
                        notice="Of course: I'll find someone from HR for you.",
                        note="Asked the Helpdesk for a person straight away.")


@router.transfer_failed
async def desk_unavailable(turn: Turn) -> None:
    failed = turn.failed_transfer
    desk = BY_SKILL.get(failed.skill) if failed else None
    name = desk.display_name if desk else "that desk"
    await turn.say(f"Sorry, {name} isn't available right now, so I can't pass this on. "
                   "Please try again later, or email helpdesk@example.com and we'll get back "
                   "to you.")
