"""The shipped helpdesk: desks hand conversations to each other, and say so when they can't."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App
from adapter.intents import intent_id
from adapter.testing import FakeSlack, Reply
from bots.people import people

from .bots_helpers import helpdesk_app


@pytest.fixture
def app(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> App:
    built = helpdesk_app(tmp_path, tmp_path_factory)
    yield built
    built.close()


@pytest.fixture
def people_away() -> Iterator[None]:
    """The People Team is marked unavailable (the personas are shared module objects)."""
    people.available = False
    yield
    people.available = True


PEOPLE_LETTER = ("I've requested an employment letter for your visa application for {}, "
                 "confirming your job title, start date and salary. It will be in your inbox as "
                 "a signed PDF within 2 working days.")


async def test_a_desk_named_up_front_gets_the_message_and_matches_it_itself(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("travel: is there a hotel near the Oslo office?")
    assert convo.replies == [Reply("travel", (
        "Book hotels in the travel portal (travel.example.com/hotels); our corporate rates show "
        "first. The budget is $250 a night, or $350 in London, New York and Tokyo."))]
    [transfer] = convo.transfers
    assert (transfer.skill, transfer.intent_id, transfer.message, transfer.resolution) == (
        "travel", None, "is there a hotel near the Oslo office?", "message")


async def test_a_message_the_named_desk_cannot_place_gets_its_fallback(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("Card: can you sing me a song")
    assert convo.replies == [Reply("card", (
        "That one needs a person: the card handbook (finance.example.com/cards) covers it, or "
        "email cards@example.com and Finance replies within 1 working day. Right away, I can "
        "answer questions on lost, declined, new or unactivated cards, PINs, limits, unknown "
        "charges, refunds, fees abroad, cash, phone wallets, personal purchases, statements, "
        "closing a card and receipts."))]
    assert (convo.owner, convo.transfers[0].resolution) == ("card", "message (fallback)")


async def test_a_visa_question_asks_the_destination_and_people_write_the_letter(
    slack: FakeSlack, app: App
) -> None:
    convo = slack.conversation()
    await convo.user_says("do I need a visa?")
    assert convo.replies == [Reply("travel", "Visa rules depend on where you're going. Which "
                                   "country or city are you travelling to?")]

    await convo.user_says("tokyo")
    assert convo.replies[1:] == [
        Reply("travel", "Noted: Tokyo. Check the consulate's website for the visa itself; it "
              "will ask for a letter from your employer, so I'm passing you to the People Team "
              "for it."),
        Reply("people", PEOPLE_LETTER.format("Tokyo")),
    ]
    assert convo.owner == "people"
    handover = convo.transfers[-1]  # only the intent travels; the city went through the store
    assert (handover.from_persona, handover.to_persona, handover.intent_id, handover.message,
            handover.resolution) == (
        "travel", "people", intent_id("hr", "employment_letter"), None, "intent")
    trip = await app.store.bind(conversation=convo.id).all("trip")
    assert trip == {"city": "Tokyo"}

    await convo.user_says("great, and when is payday?")  # the People Team has the thread now
    assert convo.replies[-1] == Reply("people", "Salaries are paid on the 25th of each month.")


async def test_an_answer_that_is_no_place_is_asked_again_and_nothing_is_stored(
    slack: FakeSlack, app: App
) -> None:
    convo = slack.conversation()
    await convo.user_says("do I need a visa?")
    await convo.user_says("<!channel> <@U123> :tada:", raw=True)
    assert convo.replies[-1] == Reply("travel", "Sorry, I need the name of the country or "
                                      "city, e.g. Japan or São Paulo. Where are you travelling "
                                      "to?")
    assert (convo.owner, [t.to_persona for t in convo.transfers]) == ("travel", ["travel"])
    assert await app.store.bind(conversation=convo.id).get("trip", "city") is None

    await convo.user_says("São Paulo")  # asked again, the real answer still counts
    assert convo.replies[-1] == Reply("people", PEOPLE_LETTER.format("São Paulo"))


async def test_a_third_answer_that_is_no_place_lets_the_question_go(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("do I need a visa?")
    for nonsense in (":tada:", "12345", "@here"):
        await convo.user_says(nonsense)
    assert convo.replies[-1].text.startswith("I still can't tell which country that is, so "
                                             "let's leave it there.")
    await convo.user_says("Lagos")  # no longer an answer: the desk's own matching takes it
    assert convo.replies[-1].persona == "travel"
    assert "People Team" not in convo.replies[-1].text


async def test_an_answer_that_looks_like_a_flight_request_is_taken_as_the_answer(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("do I need a visa?")
    await convo.user_says("to Madrid")  # alone, this would start Travel's flight booking
    assert convo.replies[-1] == Reply("people", PEOPLE_LETTER.format("Madrid"))


async def test_a_destination_in_the_question_is_not_asked_again(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("What visa do I need for a sales trip to South Korea?")
    assert convo.replies == [
        Reply("travel", "Noted: South Korea. Check the consulate's website for the visa itself; "
              "it will ask for a letter from your employer, so I'm passing you to the People "
              "Team for it."),
        Reply("people", PEOPLE_LETTER.format("South Korea")),
    ]
    assert [(t.from_persona, t.to_persona) for t in convo.transfers] == [
        ("router", "travel"), ("travel", "people")]


@pytest.mark.usefixtures("people_away")
async def test_travel_explains_when_the_people_team_is_away(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("do I need a visa for Japan?")
    assert convo.replies == [Reply("travel", (
        "Noted: Japan. The consulate will ask for a letter from your employer, but the People "
        "Team isn't available right now; please ask them for an employment letter later."))]
    assert convo.owner == "travel"
    assert [(t.to_persona, t.status, t.reason) for t in convo.transfers] == [
        ("travel", "completed", None),
        (None, "failed", "no persona is available for skill 'hr'"),
    ]


@pytest.mark.usefixtures("people_away")
async def test_the_helpdesk_explains_when_a_desk_is_away_and_keeps_the_thread(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("when will we be paid")
    assert convo.replies == [Reply("router", (
        "Sorry, People Team isn't available right now, so I can't pass this on. Please try "
        "again later, or email helpdesk@example.com and we'll get back to you."))]
    assert convo.owner == "router"
    [transfer] = convo.transfers
    assert (transfer.status, transfer.reason) == (
        "failed", "no persona is available for skill 'hr'")

    await convo.user_says("help")  # the menu only offers the desks that are there
    assert "People Team" not in convo.replies[-1].text


async def test_a_button_under_a_flight_answer_hands_over_to_the_card_desk(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("I need to fly to Lisbon on Thursday")
    assert convo.replies == [Reply("travel", (
        "Book flights in the travel portal (travel.example.com/flights): fares within the travel "
        "policy show first, and the ticket is paid with your corporate card."))]
    assert [b["text"]["text"] for b in convo.posts[-1].buttons] == [
        "I don't have a corporate card", "Not what I meant"]

    await convo.click("I don't have a corporate card")
    assert convo.replies[-1] == Reply("card", (
        "Request a corporate card in the Finance portal (Cards > Request). Your manager approves "
        "it, and the card reaches your office within 5 working days; a virtual card for online "
        "purchases is ready the same day."))
    assert convo.owner == "card"
    click = convo.transfers[-1]  # an intent alone: the click has no words to pass on
    assert (click.from_persona, click.intent_id, click.message, click.resolution) == (
        "travel", intent_id("card", "new_card"), None, "intent")


async def test_a_question_for_another_desk_mid_thread_moves_there(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("how do I file my card receipts?")
    await convo.user_says("also, how many vacation days do I have left this year?")
    assert [r.persona for r in convo.replies] == ["card", "people"]
    assert convo.owner == "people"
    assert [t.kind for t in convo.transfers] == ["transfer", "reroute"]


async def test_the_card_desk_remembers_a_frozen_card_in_another_thread(
    slack: FakeSlack,
) -> None:
    lost = slack.conversation(channel="C0GENERAL")
    await lost.user_says("I left my corporate card in a taxi")
    assert lost.replies[0].text.startswith("I've frozen your corporate card")

    later = slack.conversation(channel="C0FINANCE")
    await later.user_says("my work card got declined at the pharmacy, why?")
    assert later.replies == [Reply("card", (
        "That's because your card is frozen: you reported it lost. Your replacement card is on "
        "its way; until it arrives, ask your manager to pay urgent costs."))]
