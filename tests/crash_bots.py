"""The bots of the crash test: a plain answer, and a transfer with a notice (two posts)."""

from adapter import Persona, Turn

router = Persona("router", skill="front_desk", display_name="Helpdesk")
travel = Persona("travel", skill="travel", display_name="Travel Desk")


@router.dialog(pattern="plain*")
async def plain(turn: Turn) -> None:
    await turn.say(f"Helpdesk: {turn.text}")


@router.dialog(pattern="transfer*")
async def hand_over(turn: Turn) -> None:
    await turn.transfer("travel", message=turn.text, notice="Passing you to Travel.")


@travel.fallback
async def answer(turn: Turn) -> None:
    await turn.say(f"Travel: {turn.text}")


PERSONAS = [router, travel]
ENTRY = "router"
