"""The shipped helpdesk: the router sends each request straight to the right desk.

Every message here is written for the tests, never one of the bots' training phrases, so
these transcripts check the real router with the real default classifier.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from adapter import App
from adapter.intents import intent_id
from adapter.testing import FakeSlack, Reply
from bots import PERSONAS

from .bots_helpers import helpdesk_app
from .test_bots_desks import NEW_ANSWERS

FX_URL = "http://fx.test/v1"


@pytest.fixture
def app(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> App:
    built = helpdesk_app(tmp_path, tmp_path_factory)
    yield built
    built.close()


# One new request per intent, and what its desk answers: the router's transfer carries
# the intent and the message, so the desk answers at once, in the same event.
FIRST_ANSWERS = [
    ("how much paid time off do I have remaining", "hr.pto_balance", Reply(
        "people", "You have 12 vacation days left this year, and up to 5 unused days carry "
        "over into next year.")),
    ("I want to take the week after Easter off", "hr.request_time_off", Reply(
        "people", "Request time off in Workday (Time Off > Request). Your manager gets a "
        "notification and usually answers within 2 working days; for a week or more, please "
        "ask at least two weeks ahead.")),
    ("I'm sick and staying in bed today", "hr.sick_day", Reply(
        "people", "Sorry you're unwell. Tell your manager before 10:00 and log the day in "
        "Workday (Time Off > Sick). You have 10 paid sick days a year; from the 4th day in a "
        "row we need a doctor's note. Get well soon!")),
    ("when will we be paid", "hr.payday", Reply(
        "people", "Salaries are paid on the 25th of each month.")),
    ("do we get any health benefits", "hr.benefits", Reply(
        "people", "Everyone gets health, dental and vision cover from day one, a 5% pension "
        "match and a $50 monthly wellness allowance. Change plans or add family in the "
        "Benefits portal during open enrollment in November, or within 30 days of a life "
        "event.")),
    ("how many weeks of maternity leave do I get", "hr.parental_leave", Reply(
        "people", "Congratulations! Birth and adoptive parents get 16 weeks of fully paid "
        "parental leave, in up to two blocks within the child's first year. Tell your manager "
        "and us at least 8 weeks before you want to start.")),
    ("the bank wants an employment verification letter", "hr.employment_letter", Reply(
        "people", "I've requested an employment letter, confirming your job title, start date "
        "and salary. It will be in your inbox as a signed PDF within 2 working days.")),
    ("can you book me a flight to Helsinki", "travel.book_flight", Reply(
        "travel", "Book flights in the travel portal (travel.example.com/flights): fares within "
        "the travel policy show first, and the ticket is paid with your corporate card.")),
    ("I need a hotel in Prague for three nights", "travel.book_hotel", Reply(
        "travel", "Book hotels in the travel portal (travel.example.com/hotels); our corporate "
        "rates show first. The budget is $250 a night, or $350 in London, New York and "
        "Tokyo.")),
    ("change my return flight to Sunday", "travel.change_booking", Reply(
        "travel", "Open the trip in the travel portal under My trips and choose Change or "
        "Cancel: it's free within 24 hours of booking, after that the fare rules apply. Stuck "
        "at an airport? Call the 24/7 travel line on +1 555 0100.")),
    ("will I need a visa for my trip", "travel.visa_requirements", Reply(
        "travel", "Visa rules depend on where you're going. Which country or city are you "
        "travelling to?")),
    ("can you look up an exchange rate for me", "travel.exchange_rate", Reply(
        "travel", "Which currencies? For example: 'EUR to USD' or '100 pounds in yen'.")),
    ("is business class allowed on flights over eight hours", "travel.travel_policy", Reply(
        "travel", "In short: economy for flights under 6 hours, premium economy above; hotels "
        "up to $250 a night ($350 in London, New York and Tokyo); $75 a day for meals; taxis "
        "and trains are fine. Trips abroad need your manager's approval before you book. Full "
        "policy: travel.example.com/policy.")),
    ("I've lost my corporate credit card", "card.lost_card", Reply(
        "card", "I've frozen your corporate card, so nobody can use it. A replacement will "
        "reach your office within 3 working days. If the old card turns up, cut it up: it "
        "stays frozen.")),
    ("why is my company card being declined", "card.declined_card", Reply(
        "card", "Sorry about that. A card is usually declined because the monthly limit is "
        "reached, the shop is in a blocked category (cash, gambling), or the terminal needs "
        "your PIN instead of contactless. The card app shows the exact reason.")),
    ("please increase the limit on my corporate card", "card.card_limit", Reply(
        "card", "The standard limit is $5,000 a month and $1,500 per payment; the card app "
        "shows what's left. For a trip or event that needs more, your manager can approve a "
        "temporary raise in the Finance portal, effective the same day.")),
    ("how do I apply for a corporate credit card", "card.new_card", Reply(
        "card", "Request a corporate card in the Finance portal (Cards > Request). Your "
        "manager approves it, and the card reaches your office within 5 working days; a "
        "virtual card for online purchases is ready the same day.")),
    ("I want to dispute a charge on my card", "card.suspicious_charge", Reply(
        "card", "I've frozen your card as a precaution and opened a dispute. Finance will "
        "email you within 2 working days to go through the charge; you won't pay for anything "
        "you didn't buy, and a new card is on its way.")),
    ("where do I submit receipts for my card expenses", "card.submit_receipts", Reply(
        "card", "Snap each receipt in the Expenses app within 30 days: it matches the card "
        "payment by itself. Meals and anything over $75 need an itemised receipt; for a lost "
        "one, fill in the missing-receipt form in the same app.")),
]


@pytest.mark.parametrize(("message", "intent", "answer"), FIRST_ANSWERS + NEW_ANSWERS,
                         ids=[intent for _, intent, _ in FIRST_ANSWERS + NEW_ANSWERS])
async def test_a_request_is_answered_by_its_desk_at_once(
    slack: FakeSlack, message: str, intent: str, answer: Reply
) -> None:
    convo = slack.conversation()
    await convo.user_says(message)
    assert convo.replies == [answer]
    assert convo.owner == answer.persona
    [transfer] = convo.transfers
    assert (transfer.from_persona, transfer.to_persona, transfer.status, transfer.resolution) \
        == ("router", answer.persona, "completed", "intent")
    # The router hands over both the intent and the user's words.
    assert (transfer.intent_id, transfer.message) == (intent_id(*intent.split(".")), message)


# More new requests, two per intent: every one must go straight to its intent's desk,
# without a clarifying question or the menu.
HELD_OUT = {
    "hr.pto_balance": ["are there any vacation days left on my account",
                       "what is my holiday balance right now"],
    "hr.request_time_off": ["please put me down for vacation on the 14th and 15th",
                            "how do I submit a time off request"],
    "hr.sick_day": ["I've caught a stomach bug and can't work",
                    "how many paid sick days am I entitled to"],
    "hr.payday": ["when does the salary come through this month",
                  "what date is payday in January"],
    "hr.benefits": ["what does our medical insurance include", "is there a company pension plan"],
    "hr.parental_leave": ["my partner is having a baby, can I take paternity leave",
                          "is there paid leave for adoptive parents"],
    "hr.employment_letter": ["I need a letter from HR confirming my employment",
                             "can I get proof of employment for my new apartment"],
    "travel.book_flight": ["I need a flight to Barcelona on the 12th",
                           "get me a flight out of Boston tomorrow"],
    "travel.book_hotel": ["can you book a hotel near our Paris office",
                          "find me a room in Milan next week"],
    "travel.change_booking": ["I have to cancel my hotel in Stockholm",
                              "my plans changed and I need to rebook my trip"],
    "travel.visa_requirements": ["do I need a visa for a business trip to Brazil",
                                 "how do I apply for a business visa for India"],
    "travel.exchange_rate": ["what is the euro to dollar exchange rate today",
                             "convert 80 pounds into euros"],
    "travel.travel_policy": ["how much am I allowed to spend on a hotel in Paris",
                             "what does the travel policy say about taxis"],
    "card.lost_card": ["my company card got stolen on the subway",
                       "I can't find my work credit card anywhere"],
    "card.declined_card": ["my corporate card was declined at the airport",
                           "the payment on my work card was rejected"],
    "card.card_limit": ["how high is my monthly card limit",
                        "I've reached my card limit, what now"],
    "card.new_card": ["I'm new here and need a company card", "can I get a virtual company card"],
    "card.suspicious_charge": ["there's a transaction on my corporate card I didn't make",
                               "someone charged my company card without my knowledge"],
    "card.submit_receipts": ["how do I upload my receipts", "what do I do if I lost a receipt"],
}


def test_the_test_messages_are_not_training_phrases() -> None:
    trained = {phrase.casefold() for p in PERSONAS for d in p.domains
               for i in d.intents.values() for phrase in i.phrases}
    ours = [m for m, _, _ in FIRST_ANSWERS] + [m for ms in HELD_OUT.values() for m in ms]
    assert [m for m in ours if m.casefold() in trained] == []


async def test_every_intent_routes_straight_to_its_desk(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BATON_FX_URL", FX_URL)
    routed, expected = {}, {}
    with respx.mock(assert_all_called=True) as fx:  # the exchange-rate questions call it
        fx.get(f"{FX_URL}/latest").mock(return_value=httpx.Response(
            200, json={"base": "EUR", "date": "2025-05-09", "rates": {"USD": 1.1, "EUR": 0.9}}))
        for intent, messages in HELD_OUT.items():
            for message in messages:
                convo = slack.conversation()
                await convo.user_says(message)
                first = convo.transfers[0] if convo.transfers else None
                routed[message] = first and (first.from_persona, first.intent_id)
                expected[message] = ("router", intent_id(*intent.split(".")))
    assert routed == expected


async def test_a_greeting_is_answered_by_the_helpdesk_itself(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("Hello there!")
    assert convo.replies == [Reply("router", "Hi! I can help with time off and pay (People "
                                   "Team), trips (Travel Desk) or your corporate card "
                                   "(Corporate Card). What do you need?")]
    assert (convo.owner, convo.transfers) == ("router", [])


async def test_a_greeting_with_a_request_goes_to_the_desk(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("hi, I lost my company card on the bus")
    assert convo.owner == "card"
    assert convo.replies[0].text.startswith("I've frozen your corporate card")


async def test_help_lists_the_desks_and_how_to_ask_one_directly(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("help")
    assert convo.replies == [Reply("router", (
        "Just tell me what you need, in your own words, and I'll bring in the right desk:\n"
        "• People Team: time off, pay and payslips, tax forms, benefits, leave, your details, "
        "remote work, reviews, training, leaving\n"
        "• Travel Desk: flights, trains, hotels, rental cars, changes, visas, exchange rates, "
        "insurance, lost luggage, travel policy\n"
        "• Corporate Card: lost, declined or new cards, PINs, limits, charges you don't "
        "recognise, refunds, fees, receipts\n"
        "To ask a desk directly, start with its name, e.g. 'travel: is there a hotel near the "
        "Oslo office?'"))]


async def test_something_no_desk_does_gets_the_menu_and_stays(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("who won the football game last night?")
    # One line per desk, from the bots themselves: a desk added later is listed too.
    desks = [f"• {p.display_name}: {p.description}" for p in PERSONAS if p.name != "router"]
    assert convo.replies == [Reply("router", "\n".join([
        "I'm not sure I can help with that. I can connect you with:", *desks,
        "Could you tell me a bit more about what you need?"]))]
    assert "• Travel Desk: flights, trains, hotels, rental cars, changes, visas, exchange " \
        "rates, insurance, lost luggage, travel policy" in desks
    assert (convo.owner, convo.transfers) == ("router", [])
