"""The entry persona: routes each request to the persona whose intent fits it.

Routing comes from ``adapter.Router``: it classifies the message across every
persona's domains and transfers with the intent and the message; on a close call it
asks with buttons; when nothing fits it says what the helpdesk can do.
"""

from adapter import Router, Turn

router = Router("router", display_name="Helpdesk", icon=":wave:")


@router.dialog(pattern="(hi|hello|hey|good morning)*")
async def greet(turn: Turn) -> None:
    await turn.say("Hi! I can help with time off and pay (People team) or with trips (Travel). "
                   "What do you need?")
