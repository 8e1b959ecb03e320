"""The routing persona: clear requests, close calls with buttons, and out-of-scope messages."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from adapter import App, Domain, Persona, Router, Turn
from adapter.cli.main import main
from adapter.testing import FakeSlack, Reply

hr = Domain("hr", {
    "payday": ["when do we get paid", "when is payday", "what day is salary paid",
               "when will I receive my paycheck", "next pay date", "is salary paid monthly"],
    "pto_balance": ["how many vacation days do I have left", "what is my pto balance",
                    "how much time off do I have", "remaining holiday days",
                    "how many days off are left", "check my leave balance"],
})
travel = Domain("travel", {
    "book_flight": ["I need a flight", "book a flight to oslo", "I want to fly to london",
                    "get me a plane ticket", "find flights to berlin", "reserve a flight"],
    "visa": ["do I need a visa", "visa requirements for japan", "how do I apply for a visa",
             "is a visa required for india", "visa rules for a business trip", "get a visa"],
})


def cast(router: Router) -> list[Persona]:
    people = Persona("people", skill="hr", display_name="People Team", domains=[hr],
                     description="time off and pay")
    desk = Persona("travel", skill="travel", display_name="Travel Desk", domains=[travel])

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say(f"Payday is the 25th. (you asked: {turn.transferred.message})")

    @people.dialog(intent="hr.pto_balance")
    async def pto(turn: Turn) -> None:
        await turn.say("You have 12 days left.")

    @desk.dialog(intent="travel.book_flight")
    async def flight(turn: Turn) -> None:
        await turn.say("Where are you flying from?")

    @desk.dialog(intent="travel.visa")
    async def visa(turn: Turn) -> None:
        await turn.say(f"Visa help for: {turn.text}")

    @people.fallback
    async def people_pointer(turn: Turn) -> None:
        await turn.say("I have no answer for that here: the People handbook "
                       "(people.example.com) has it, or email people@example.com.")

    @desk.fallback
    async def travel_pointer(turn: Turn) -> None:
        await turn.say("I have no answer for that here: see travel.example.com.")

    @router.dialog(pattern="(hi|hello)*")
    async def hello(turn: Turn) -> None:
        await turn.say("Hi! What do you need?")

    return [router, people, desk]


@pytest.fixture
def app(db_path: Path) -> App:
    built = App(personas=cast(Router()), entry="router", db=db_path)
    yield built
    built.close()


async def test_a_clear_request_is_answered_by_the_right_persona_at_once(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("when is my next paycheck coming?")
    assert convo.replies == [Reply("people",
                                   "Payday is the 25th. (you asked: when is my next paycheck "
                                   "coming?)")]
    assert convo.owner == "people"
    [transfer] = convo.transfers
    assert (transfer.from_persona, transfer.skill, transfer.resolution) == (
        "router", "hr", "intent")


async def test_the_routers_own_patterns_still_answer(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("hello there")
    assert convo.replies == [Reply("router", "Hi! What do you need?")]


async def test_an_out_of_scope_message_gets_the_menu_and_stays(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("who won the football game last night?")
    assert convo.replies == [Reply("router", (
        "I'm not sure I can help with that. I can connect you with:\n"
        "• People Team: time off and pay\n"
        "• Travel Desk: book flight, visa\n"
        "Could you tell me a bit more about what you need?"))]
    assert (convo.owner, convo.transfers) == ("router", [])


class Scripted:
    """A classifier whose answers the test writes down: the router's logic, not the model's."""

    def __init__(self, answers: dict[str, list[tuple[str, float]]]) -> None:
        self.answers = answers

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        pass

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return self.answers.get(text, [])[:k]


def scripted_app(db_path: Path, answers: dict[str, list[tuple[str, float]]],
                 router: Router | None = None) -> App:
    """The cast with a router whose classifiers (intents and skills) answer as written."""
    scripted = Scripted(answers)
    return App(personas=cast(router or Router()), entry="router", db=db_path,
               classifier=lambda: scripted)


@pytest.fixture
def close_call_app(db_path: Path) -> App:
    built = scripted_app(db_path, {
        "I need a visa letter for my trip": [("travel.visa", 0.83), ("hr.payday", 0.80)],
        "flight to oslo": [("travel.book_flight", 0.95), ("hr.payday", 0.80)],
    })
    yield built
    built.close()


async def test_a_close_call_asks_with_buttons_and_a_click_transfers(
    close_call_app: App,
) -> None:
    async with FakeSlack(close_call_app) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a visa letter for my trip")
        question = convo.posts[-1]
        assert convo.replies == [Reply("router", "Just to be sure I send you to the right place: "
                                       "is this for Travel Desk or People Team?")]
        assert [b["text"]["text"] for b in question.buttons] == [
            "Travel Desk", "People Team", "Something else"]
        assert convo.owner == "router"

        await convo.click("Travel Desk")
        assert convo.replies[-1] == Reply("travel", "Visa help for: I need a visa letter for "
                                          "my trip")
        assert convo.owner == "travel"
        assert question.buttons == []  # the question now shows the answer instead
        assert question.blocks[-1]["elements"][0]["text"] == \
            "Travel Desk (chosen by <@U0USER001>)"
        assert [(t.skill, t.intent_id is not None) for t in convo.transfers] == [
            ("travel", True)]


async def test_a_second_click_on_the_same_question_is_ignored(close_call_app: App) -> None:
    async with FakeSlack(close_call_app) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a visa letter for my trip")
        question = convo.posts[-1]
        buttons = list(question.blocks)
        await convo.click("People Team")
        question.blocks = buttons  # a stale copy of the message, still showing buttons
        await slack.click(question, "Travel Desk")
        assert [t.to_persona for t in convo.transfers] == ["people"]


async def test_something_else_gets_the_menu(close_call_app: App) -> None:
    async with FakeSlack(close_call_app) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a visa letter for my trip")
        await convo.click("Something else")
        assert convo.replies[-1].text.startswith("I'm not sure I can help with that.")
        assert convo.owner == "router"


async def test_a_clear_winner_is_not_questioned(close_call_app: App) -> None:
    async with FakeSlack(close_call_app) as slack:
        convo = slack.conversation()
        await convo.user_says("flight to oslo")
        assert convo.replies == [Reply("travel", "Where are you flying from?")]


def test_a_routers_namespaces_keep_its_own() -> None:
    router = Router(namespaces={"profile": None})
    assert router.namespaces == {"router_choices": 86400, "profile": None}


# --- routing by skill: a message in a desk's area that none of its intents names ------------

@pytest.fixture
def skills_app(db_path: Path) -> App:
    built = scripted_app(db_path, {
        # in People's area, no intent of theirs: the desk's own matching answers
        "where do I download my P60?": [("hr", 0.93), ("hr.payday", 0.41), ("travel", 0.05)],
        # People's area, and Travel's by both its area and an intent; neither sure: ask
        "I need a letter for my visa": [("hr", 0.8), ("travel.visa", 0.78), ("travel", 0.5)],
        "can I expense the hotel minibar?": [("hr", 0.95), ("travel", 0.6)],
    })
    yield built
    built.close()


async def test_a_message_in_a_desks_area_goes_there_with_the_message_alone(
    skills_app: App,
) -> None:
    async with FakeSlack(skills_app) as slack:
        convo = slack.conversation()
        await convo.user_says("where do I download my P60?")
        assert convo.replies == [Reply("people", (
            "I have no answer for that here: the People handbook (people.example.com) has it, "
            "or email people@example.com."))]
        assert convo.owner == "people"
        [transfer] = convo.transfers
        assert (transfer.skill, transfer.intent_id, transfer.message, transfer.resolution) == (
            "hr", None, "where do I download my P60?", "message (fallback)")


async def test_two_desks_that_both_fit_get_one_question_and_the_choice_answers_at_once(
    skills_app: App,
) -> None:
    async with FakeSlack(skills_app) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a letter for my visa")
        assert convo.replies == [Reply("router", "Just to be sure I send you to the right "
                                       "place: is this for Travel Desk or People Team?")]
        assert convo.owner == "router"
        await convo.click("Travel Desk")
        assert convo.replies[-1] == Reply("travel", "Visa help for: I need a letter for my visa")
        assert [(t.skill, t.resolution) for t in convo.transfers] == [("travel", "intent")]


async def test_not_what_i_meant_returns_to_the_router_which_offers_the_next_desk(
    skills_app: App,
) -> None:
    async with FakeSlack(skills_app) as slack:
        convo = slack.conversation()
        await convo.user_says("can I expense the hotel minibar?")
        answer = convo.posts[-1]
        assert convo.replies[-1].persona == "people"
        assert [b["text"]["text"] for b in answer.buttons] == ["Not what I meant"]

        await convo.click("Not what I meant")
        assert convo.replies[-1] == Reply("router", "Sorry about that. Is it for Travel Desk?")
        assert [b["text"]["text"] for b in convo.posts[-1].buttons] == [
            "Travel Desk", "Something else"]
        assert convo.owner == "router"
        assert answer.blocks[-1]["elements"][0]["text"] == \
            "Not what I meant (chosen by <@U0USER001>)"

        await convo.click("Travel Desk")
        assert convo.replies[-1] == Reply("travel", "I have no answer for that here: see "
                                          "travel.example.com.")
        assert convo.owner == "travel"
        assert [(t.kind, t.from_persona, t.to_persona, t.message) for t in convo.transfers] == [
            ("transfer", "router", "people", "can I expense the hotel minibar?"),
            ("misroute", "people", "router", "can I expense the hotel minibar?"),
            ("transfer", "router", "travel", "can I expense the hotel minibar?")]


async def test_baton_misroutes_lists_them_with_where_the_user_went_instead(
    skills_app: App, db_path: Path, capsys: pytest.CaptureFixture,
) -> None:
    if not isinstance(db_path, Path):
        pytest.skip("reads the SQLite file")
    async with FakeSlack(skills_app) as slack:
        convo = slack.conversation()
        await convo.user_says("can I expense the hotel minibar?")
        await convo.click("Not what I meant")
        await convo.click("Travel Desk")
    # The command runs its own event loop, as in a terminal: off this test's loop.
    assert await asyncio.to_thread(main, ["misroutes", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.split(" ", 2)[2] == (f"{convo.id} sent to people (message only), then travel: "
                                    "'can I expense the hotel minibar?'\n")
    assert await asyncio.to_thread(main, ["misroutes", "--db", str(db_path), "--tsv"]) == 0
    assert capsys.readouterr().out == "travel\tcan I expense the hotel minibar?\n"


async def test_only_the_first_answer_after_routing_offers_the_way_back(skills_app: App) -> None:
    async with FakeSlack(skills_app) as slack:
        convo = slack.conversation()
        await convo.user_says("where do I download my P60?")
        await convo.user_says("when is payday?")  # People's own follow-up: no router involved
        assert [len(post.buttons) for post in convo.posts] == [1, 0]


async def test_a_router_without_a_way_back_adds_no_button(db_path: Path) -> None:
    app = scripted_app(db_path, {"where do I download my P60?": [("hr", 0.93), ("travel", 0.05)]},
                       Router(way_back=None))
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("where do I download my P60?")
            assert convo.posts[-1].buttons == []
    finally:
        app.close()
