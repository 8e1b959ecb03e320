"""Travel Desk: flights, trains, hotels, rental cars, changes, visas, exchange rates, travel
insurance, lost luggage, itineraries, loyalty programmes and the travel policy.

Its intents' phrases and the examples of its wider area are in bots/travel_phrases.py.

Shows three things a persona can do besides answering:
- a visa question: asks for the destination, keeps it in the context store ("trip"
  namespace) and hands over to the People Team for the employment letter, with a notice;
  if the People Team is unavailable, says so itself (``result.ok``);
- exchange rates from an HTTP backend through the shared ``turn.http`` (bots/fx.py);
- a button whose click transfers to the Corporate Card desk with an intent.
"""

import re

from adapter import Button, Persona, Turn

from . import fx
from .travel_phrases import EXAMPLES, travel_domain

travel = Persona(
    "travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
    domains=[travel_domain], namespaces={"trip": 7 * 24 * 3600},  # a trip being planned
    description="flights, trains, hotels, rental cars, changes, visas, exchange rates, "
                "insurance, lost luggage, travel policy",
    examples=EXAMPLES,
)


@travel.dialog(intent="travel.book_flight")
async def book_flight(turn: Turn) -> None:
    await turn.say("Book flights in the travel portal (travel.example.com/flights): fares within "
                   "the travel policy show first, and the ticket is paid with your corporate card.",
                   buttons=[Button("I don't have a corporate card", "new_card", "card")])


@travel.button("card")
async def no_card(turn: Turn) -> None:
    await turn.transfer("card", intent="card.new_card")


@travel.dialog(intent="travel.book_hotel")
async def book_hotel(turn: Turn) -> None:
    await turn.say("Book hotels in the travel portal (travel.example.com/hotels); our corporate "
                   "rates show first. The budget is $250 a night, or $350 in London, New York "
                   "and Tokyo.")


@travel.dialog(intent="travel.change_booking")
async def change_booking(turn: Turn) -> None:
    await turn.say("Open the trip in the travel portal under My trips and choose Change or "
                   "Cancel: it's free within 24 hours of booking, after that the fare rules "
                   "apply. Stuck at an airport? Call the 24/7 travel line on +1 555 0100.")


@travel.dialog(intent="travel.travel_policy")
async def travel_policy(turn: Turn) -> None:
    await turn.say("In short: economy for flights under 6 hours, premium economy above; hotels "
                   "up to $250 a night ($350 in London, New York and Tokyo); $75 a day for "
                   "meals; taxis and trains are fine. Trips abroad need your manager's approval "
                   "before you book. Full policy: travel.example.com/policy.")


@travel.dialog(intent="travel.book_train")
async def book_train(turn: Turn) -> None:
    await turn.say("Book trains in the travel portal (travel.example.com/rail): Eurostar, Amtrak "
                   "and most European operators, with the ticket sent to your phone. For trips "
                   "under 4 hours the train is preferred over flying, in standard class.")


@travel.dialog(intent="travel.rental_car")
async def rental_car(turn: Turn) -> None:
    await turn.say("Book cars in the travel portal (travel.example.com/cars) with Hertz or Sixt "
                   "at our corporate rate, which includes full insurance, so decline the extras "
                   "at the counter. Pick a compact or mid-size car, return it full, and report "
                   "any damage to travel@example.com the same day.")


@travel.dialog(intent="travel.travel_insurance")
async def travel_insurance(turn: Turn) -> None:
    await turn.say("Every business trip is covered by our travel insurance (medical care, "
                   "evacuation, stolen belongings), so there's nothing to buy. In an emergency "
                   "abroad, call the 24/7 assistance line on +1 555 0199; the insurance "
                   "certificate for visa applications is at travel.example.com/insurance.")


@travel.dialog(intent="travel.lost_luggage")
async def lost_luggage(turn: Turn) -> None:
    await turn.say("Report it at the airline's baggage desk before you leave the airport and keep "
                   "the reference. While your bag is delayed you can spend up to $150 a day on "
                   "essentials (claim them in Expenses with receipts); if it's lost for good, "
                   "send the reference to travel@example.com and our insurance covers the rest.")


@travel.dialog(intent="travel.itinerary")
async def itinerary(turn: Turn) -> None:
    await turn.say("Your itinerary, e-tickets and booking references are in the travel portal "
                   "under My trips (travel.example.com/trips), with a calendar link for each "
                   "trip. Confirmations come from noreply@travel.example.com, so check your spam; "
                   "hotel invoices arrive by email within 3 days of check-out.")


@travel.dialog(intent="travel.loyalty_program")
async def loyalty_program(turn: Turn) -> None:
    await turn.say("Your miles and points are yours to keep: add your frequent flyer and hotel "
                   "loyalty numbers to your traveller profile (travel.example.com/profile) and "
                   "every booking earns them. Upgrades with your own miles are fine, but paid "
                   "upgrades and lounge passes aren't reimbursed.")


# --- visas: ask for the destination, keep it, hand over to the People Team --------------

_DESTINATION = re.compile(r"\b(?:to|for|in|visit|visiting)\s+((?:(?!I\b|I')[A-Z][\w'-]*\s?)+)")
_NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "Monday", "Tuesday",
               "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_GOING = re.compile(r"^(?:i'm|i am|we're|we are)?\s*(?:going|travelling|traveling|flying)?\s*"
                    r"(?:to|in)\s+", re.IGNORECASE)


@travel.dialog(intent="travel.visa_requirements")
async def visa_requirements(turn: Turn) -> None:
    named = [m[1].strip() for m in _DESTINATION.finditer(turn.text)]  # "... for Japan?"
    places = [name for name in named if name.split()[0] not in _NOT_PLACES]
    if places:
        await visa_for(turn, places[0])
        return
    await turn.say("Visa rules depend on where you're going. Which country or city are you "
                   "travelling to?")
    # The next message is the answer, even "to Madrid", which looks like a flight request;
    # a quarter of an hour later, an unrelated message is no longer taken for it.
    await turn.expect("destination", ttl=15 * 60)


@travel.answer("destination")
async def destination(turn: Turn) -> None:
    place = destination_in(turn.text)
    if is_place_name(place):
        await turn.store.delete("trip", "destination_tries")
        await visa_for(turn, place)
        return
    # Not a place ("@channel :tada:"): ask again, twice at most, so nobody is stuck here.
    tries = await turn.store.incr("trip", "destination_tries")
    if tries > 2:
        await turn.store.delete("trip", "destination_tries")
        await turn.say("I still can't tell which country that is, so let's leave it there. "
                       "Ask me again with the country's name whenever you like, e.g. "
                       "'do I need a visa for Japan?'.")
        return
    await turn.say("Sorry, I need the name of the country or city, e.g. Japan or São Paulo. "
                   "Where are you travelling to?")
    await turn.expect("destination", ttl=15 * 60)


async def visa_for(turn: Turn, destination: str) -> None:
    await turn.store.set("trip", "city", destination)  # the People Team reads it
    result = await turn.transfer(
        "hr", intent="hr.employment_letter",
        notice=f"Noted: {destination}. Check the consulate's website for the visa itself; it "
               "will ask for a letter from your employer, so I'm passing you to the People "
               "Team for it.")
    if not result.ok:
        await turn.say(f"Noted: {destination}. The consulate will ask for a letter from your "
                       "employer, but the People Team isn't available right now; please ask "
                       "them for an employment letter later.")


_PLACE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ .'-])*")  # letters, spaces, dots, ' and -


def is_place_name(text: str) -> bool:
    """Whether ``text`` reads like a country or city name: letters (any script), spaces,
    hyphens and apostrophes, at most six words; never a mention, a channel or an emoji."""
    return 2 <= len(text) <= 60 and len(text.split()) <= 6 and _PLACE.fullmatch(text) is not None


def destination_in(answer: str) -> str:
    """The place in an answer like "Tokyo", "to new york" or "I'm going to Lagos."."""
    place = _GOING.sub("", answer.strip()).strip(" .!?")
    return place if any(c.isupper() for c in place) else place.title()


# --- exchange rates from the backend ----------------------------------------------------

@travel.dialog(intent="travel.exchange_rate")
async def exchange_rate(turn: Turn) -> None:
    request = fx.parse(turn.text)
    if request is None:
        await turn.say("Which currencies? For example: 'EUR to USD' or '100 pounds in yen'.")
        return
    pair = f"{request.base} to {request.quote}"
    try:
        rate = await fx.latest_rate(turn.http, request.base, request.quote)
    except fx.BackendDown:
        await turn.say(f"Sorry, the exchange-rate service isn't answering right now, so I can't "
                       f"give you {pair}. Please try again in a few minutes.")
        return
    except fx.BadAnswer:
        await turn.say(f"Sorry, the exchange-rate service sent an answer I couldn't read, so I "
                       f"can't give you {pair} right now. Please try again later.")
        return
    await turn.say(fx.describe(rate, request.amount))


@travel.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, Travel Desk here. I can help with flights, trains, hotels, rental cars, "
                   "changes to bookings, visas, exchange rates, travel insurance, lost luggage, "
                   "itineraries, loyalty programmes and the travel policy.")


@travel.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("That one needs a person: the travel FAQ (travel.example.com/help) covers "
                   "most trips, and travel@example.com or the 24/7 travel line on +1 555 0100 "
                   "sorts out the rest. Right away, I can answer questions on flights, trains, "
                   "hotels, rental cars, changes, visas, exchange rates, insurance, lost "
                   "luggage, itineraries, loyalty programmes and the travel policy.")
