"""The bots of the crash test: a plain answer, a transfer with a notice (two posts), and
a handoff to a human team that nobody claims in time, so its fallback skill answers."""

from adapter import HumanTeam, Persona, Turn

router = Persona("router", skill="front_desk", display_name="Helpdesk")
travel = Persona("travel", skill="travel", display_name="Travel Desk")


@router.dialog(pattern="plain*")
async def plain(turn: Turn) -> None:
    await turn.say(f"Helpdesk: {turn.text}")


@router.dialog(pattern="transfer*")
async def hand_over(turn: Turn) -> None:
    await turn.transfer("travel", message=turn.text, notice="Passing you to Travel.")


@router.dialog(pattern="human*")
async def to_people(turn: Turn) -> None:
    await turn.transfer("payroll", message=turn.text, note="from the crash test")


# Nobody claims: after a second, at the next maintenance pass, Travel answers instead.
payroll = HumanTeam("payroll", channel="C0QUEUE", display_name="Payroll", claim_timeout=1.0)


@travel.fallback
async def answer(turn: Turn) -> None:
    await turn.say(f"Travel: {turn.text}")


PERSONAS = [router, travel, payroll]
ENTRY = "router"
FALLBACK_SKILLS = {"payroll": "travel"}
