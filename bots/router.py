"""The entry persona: greets, and hands every request to the persona whose intent fits.

Routing itself is Baton's re-routing: when the router has no dialog for a message,
the app's classifier picks the intent and the router transfers with intent and message.
"""

from adapter import Persona, Turn

router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")


@router.dialog(pattern="(hi|hello|hey|good morning)*")
async def greet(turn: Turn) -> None:
    await turn.say("Hi! I can help with time off and pay (People team) or with trips (Travel). "
                   "What do you need?")


@router.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I'm not sure who can help with that. I can connect you with the People team "
                   "(time off, payday) or Travel (flights, hotels). Could you say a bit more?")
