"""The bots of the process benchmark (``baton run --http --bots benchmarks.process_bots``):
an entry persona that answers "plain" itself and hands "transfer" to another persona,
which answers; one post either way."""

from adapter import Persona, Turn

router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")
travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:")


@router.dialog(pattern="plain*")
async def plain(turn: Turn) -> None:
    await turn.say("A plain reply from the router.")


@router.dialog(pattern="transfer*")
async def hand_over(turn: Turn) -> None:
    await turn.transfer("travel", message=turn.text)


@travel.fallback
async def flight(turn: Turn) -> None:
    await turn.say("Where are you flying from?")


PERSONAS = [router, travel]
ENTRY = "router"
