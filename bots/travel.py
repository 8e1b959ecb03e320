"""Travel desk: flights and hotels."""

from adapter import Domain, Persona, Turn

travel_domain = Domain("travel", {
    "book_flight": [
        "I need a flight", "book a flight to oslo", "I want to fly to london",
        "get me a plane ticket", "find flights to berlin next week",
    ],
    "book_hotel": [
        "I need a hotel", "book a hotel room", "find me accommodation in paris",
        "reserve a hotel for two nights", "where can I stay in madrid",
    ],
})

travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                 domains=[travel_domain])


@travel.dialog(intent="travel.book_flight")
async def book_flight(turn: Turn) -> None:
    await turn.say("Happy to book a flight. Where are you flying from, and on which date?")


@travel.dialog(intent="travel.book_hotel")
async def book_hotel(turn: Turn) -> None:
    await turn.say("Let's find you a hotel. Which city, and for which nights?")


@travel.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, Travel Desk here. Flights or hotels?")


@travel.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I handle flights and hotels. Could you rephrase that?")
