"""Travel Desk: flights, hotels, changes, visas, exchange rates and the travel policy.

Shows three things a persona can do besides answering:
- a visa question: asks for the destination, keeps it in the context store ("trip"
  namespace) and hands over to the People Team for the employment letter, with a notice;
  if the People Team is unavailable, says so itself (``result.ok``);
- exchange rates from an HTTP backend through the shared ``turn.http`` (bots/fx.py);
- a button whose click transfers to the Corporate Card desk with an intent.
"""

import re

from adapter import Button, Domain, Persona, Turn

from . import fx

travel_domain = Domain("travel", {
    "book_flight": [
        "I need a flight", "book a flight to Oslo", "I want to fly to London next Tuesday",
        "get me a plane ticket", "find flights to Berlin next week",
        "reserve a seat on the morning flight to Paris", "can you book me a return flight",
        "I have to be in Chicago on Monday, book the flight",
        "what flights go to Singapore on Thursday", "book airfare for the sales conference",
        "I need to fly out tomorrow morning", "one-way ticket to Madrid please",
        "get me on a plane to Toronto", "can you get me a flight home on Friday",
        "I need plane tickets to Rome", "book me the cheapest flight to Dublin",
        "are there direct flights to Zurich", "I need to fly to the Denver office next week",
        "book a flight for me and a colleague", "search for flights from Boston to Seattle",
    ],
    "book_hotel": [
        "I need a hotel", "book a hotel room", "find me accommodation in Paris",
        "reserve a hotel for two nights", "where can I stay in Madrid",
        "I need somewhere to sleep in Munich on Wednesday",
        "book me a room near the Stockholm office",
        "which hotels do we have a corporate rate with",
        "can you get me a hotel for the conference", "I need lodging for three nights in Boston",
        "find a place to stay close to the client's office",
        "book a hotel in Amsterdam from Sunday to Tuesday", "extend my hotel stay by one night",
        "where should I stay in Chicago", "I need a hotel room in Lisbon for Thursday night",
        "book accommodation for the offsite", "is there a hotel near the Berlin office",
        "I need a room for the night", "can you find me a hotel with a gym",
        "what's a good hotel near the airport",
        "reserve a room in Oslo for Monday", "get me a room in Vienna",
    ],
    "change_booking": [
        "I need to change my flight", "cancel my hotel reservation",
        "can I move my flight to an earlier time",
        "my meeting got cancelled, cancel the whole trip", "rebook my flight for Friday instead",
        "change the dates of my hotel booking", "my flight was cancelled, what now",
        "I missed my connection", "switch my return flight to the evening one",
        "how do I cancel a trip I booked", "push my trip back a week",
        "I need to change the name on my ticket", "can I get a refund for my cancelled flight",
        "please cancel my trip to Oslo", "my flight got delayed and I'll miss the meeting",
        "I need to move my hotel booking by a day", "change my seat on the flight",
        "I want to come back a day later", "cancel my flight to Berlin",
        "the airline cancelled my flight",
    ],
    "visa_requirements": [
        "do I need a visa", "visa requirements for Japan", "how do I apply for a visa",
        "is a visa required for India", "visa rules for a business trip",
        "what documents do I need to enter China",
        "do I need a visa to visit Brazil for a conference",
        "how long does a business visa take", "can I travel to the US on an ESTA for work",
        "does my passport need to be valid for six months",
        "entry requirements for Saudi Arabia", "I'm going to Vietnam, will I need a visa",
        "is there visa on arrival in Indonesia",
        "what visa do I need for a trip to India", "will I need a visa to go to Kenya",
        "do I need a visa for a conference in Canada", "how do I get a business visa",
        "visa application for my trip to Nigeria", "is my passport enough to travel to Turkey",
        "how early should I apply for my visa",
        "border entry rules for Thailand", "can I enter Mexico without a visa",
    ],
    "exchange_rate": [
        "what is the exchange rate for euros", "convert 100 dollars to yen",
        "how much is a pound in euros", "EUR to USD rate",
        "what's the dollar worth in Swiss francs today", "currency conversion from GBP to NOK",
        "how many Swedish kronor do I get for 50 euros", "current rate for Indian rupees",
        "exchange rate usd jpy", "how much is 200 CAD in US dollars",
        "what's today's euro exchange rate", "how much money is 5000 yen",
        "what's the conversion rate between sterling and the euro",
        "what's the rate from euros to dollars", "convert 50 pounds to euros",
        "how much is the yen worth", "exchange rate between GBP and USD",
        "how many dollars is 300 euros", "what's one Swiss franc in euros",
        "how much are Canadian dollars worth in pounds", "give me the rupee rate",
        "usd to gbp please", "chf in eur", "convert 20 francs to kronor",
    ],
    "travel_policy": [
        "can I fly business class", "what is the travel policy",
        "what's the hotel budget per night", "is premium economy allowed on long flights",
        "how much is the daily meal allowance when travelling",
        "do I need approval before booking a trip", "can I bring my family on a business trip",
        "what's the per diem in expensive cities", "am I allowed to take a taxi from the airport",
        "can I rent a car on a work trip", "who approves international travel",
        "how far in advance should I book travel", "can I keep my frequent flyer miles",
        "what's the nightly limit for hotels", "can I take an Uber to the airport",
        "what is our policy on meals while travelling", "is first class ever allowed",
        "what travel expenses can I claim", "can I travel on a weekend and stay longer",
        "does the policy allow upgrades", "what are the rules for business travel",
        "what's the most I can pay for a hotel per night",
        "how much can I spend on food on a business trip",
        "does my manager have to approve my travel", "what's the hotel limit per night",
        "is there a cap on hotel costs",
    ],
})

travel = Persona(
    "travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
    domains=[travel_domain], namespaces={"trip": 7 * 24 * 3600},  # a trip being planned
    description="flights, hotels, changes to bookings, visas, exchange rates, travel policy",
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
    await turn.say("Hi, Travel Desk here. I can help with flights, hotels, changes to bookings, "
                   "visas, exchange rates and the travel policy.")


@travel.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I handle flights, hotels, changes to bookings, visas, exchange rates and "
                   "the travel policy. Could you rephrase that?")
