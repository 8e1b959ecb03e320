"""People team: time off and pay."""

from adapter import Domain, Persona, Turn

hr = Domain("hr", {
    "pto_balance": [
        "how many vacation days do I have left", "what is my pto balance",
        "how much time off do I have", "remaining holiday days", "how many days off are left",
    ],
    "payday": [
        "when do we get paid", "when is payday", "what day is salary paid",
        "when will I receive my paycheck", "next pay date",
    ],
})

people = Persona("people", skill="hr", display_name="People Team", icon=":palm_tree:",
                 domains=[hr])


@people.dialog(intent="hr.pto_balance")
async def pto_balance(turn: Turn) -> None:
    await turn.say("You have 12 vacation days left this year.")


@people.dialog(intent="hr.payday")
async def payday(turn: Turn) -> None:
    await turn.say("Salaries are paid on the 25th of each month.")


@people.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, People Team here. Ask me about time off or pay.")


@people.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I can help with time off and pay. Could you rephrase that?")
