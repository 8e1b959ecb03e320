"""Warm transfers, one transcript per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter import App, Domain, Persona, TransferResult, Turn
from adapter.intents import intent_id
from adapter.testing import FakeSlack, Reply

hr = Domain("hr", {
    "payday": ["when do we get paid", "when is payday", "what day is salary paid"],
    "pto_balance": ["how many vacation days do I have left", "what is my pto balance"],
})
travel_domain = Domain("travel", {
    "book_flight": ["I need a flight", "book a flight to oslo", "get me a plane ticket"],
    "visa": ["do I need a visa", "visa requirements for japan"],
})


def personas() -> dict[str, Persona]:
    """A router whose dialogs each exercise one way to transfer, and three receivers."""
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:")
    people = Persona("people", skill="hr", display_name="People Team", domains=[hr])
    travel = Persona("travel", skill="travel", display_name="Travel Desk",
                     domains=[travel_domain])
    backup = Persona("backup", skill="concierge", display_name="Concierge")
    said = {}

    @router.dialog(pattern="by name")
    async def by_name(turn: Turn) -> None:
        await turn.transfer("hr", intent="hr.payday")

    @router.dialog(pattern="by id")
    async def by_id(turn: Turn) -> None:
        await turn.transfer("hr", intent_id=intent_id("hr", "pto_balance"))

    @router.dialog(pattern="by message *")
    async def by_message(turn: Turn) -> None:
        await turn.transfer("hr", message=turn.text.removeprefix("by message "))

    @router.dialog(pattern="both")
    async def both(turn: Turn) -> None:
        await turn.transfer("hr", intent="hr.payday", message="how many vacation days left")

    @router.dialog(pattern="neither")
    async def neither(turn: Turn) -> None:
        await turn.transfer("hr")

    @router.dialog(pattern="wrong intent")
    async def wrong_intent(turn: Turn) -> None:
        await turn.transfer("hr", intent="travel.visa", message="when is payday")

    @router.dialog(pattern="wrong intent, no message")
    async def wrong_intent_alone(turn: Turn) -> None:
        await turn.transfer("hr", intent="travel.visa")

    @router.dialog(pattern="with notice")
    async def with_notice(turn: Turn) -> None:
        await turn.transfer("travel", intent="travel.book_flight", notice="Passing you to Travel")

    @router.dialog(pattern="to (*)")
    async def to_skill(turn: Turn) -> None:
        said["result"] = await turn.transfer(turn.text[3:], message="hello")

    @router.dialog(pattern="handled *")
    async def handled(turn: Turn) -> None:
        result = await turn.transfer(turn.text[8:])
        if not result.ok:
            await turn.say(f"No luck: {result.reason}")

    @router.dialog(pattern="typo")
    async def typo(turn: Turn) -> None:
        await turn.transfer("hr", intent="hr.pay_day")

    @router.dialog(pattern="ping")
    async def ping(turn: Turn) -> None:
        await turn.transfer("travel", message="pong")

    @travel.dialog(pattern="pong")
    async def pong(turn: Turn) -> None:
        await turn.transfer("front_desk", message="ping")

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        source = turn.transferred
        await turn.say(f"Payday is the 25th. ({turn.intent.qualified_name} from "
                       f"{source.from_persona if source else 'nobody'})")

    @people.dialog(intent="hr.pto_balance")
    async def pto(turn: Turn) -> None:
        await turn.say("You have 12 days left.")

    @people.dialog(pattern="hello")
    async def people_hello(turn: Turn) -> None:
        await turn.say("People Team says hello.")

    @people.welcome
    async def people_welcome(turn: Turn) -> None:
        await turn.say("People Team here. How can I help?")

    @travel.dialog(intent="travel.book_flight")
    async def flight(turn: Turn) -> None:
        await turn.say("Where are you flying from?")

    @travel.fallback
    async def travel_unsure(turn: Turn) -> None:
        await turn.say("Travel only knows flights.")

    @backup.dialog(pattern="hello")
    async def backup_hello(turn: Turn) -> None:
        await turn.say("Concierge says hello.")

    found = {p.name: p for p in (router, people, travel, backup)}
    found["said"] = said  # type: ignore[assignment]
    return found


@pytest.fixture
def cast() -> dict[str, Persona]:
    return personas()


@pytest.fixture
def app(cast: dict, db_path: Path) -> App:
    built = App(personas=[p for k, p in cast.items() if k != "said"], entry="router",
                db=db_path, fallback_skills={"hr": "concierge"})
    yield built
    built.close()


async def test_intent_by_name_starts_the_receivers_dialog(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("by name")
    assert convo.replies == [Reply("people", "Payday is the 25th. (hr.payday from router)")]
    assert convo.owner == "people"
    [transfer] = convo.transfers
    assert (transfer.status, transfer.skill, transfer.intent_id, transfer.resolution) == (
        "completed", "hr", intent_id("hr", "payday"), "intent")


async def test_intent_by_id_starts_the_receivers_dialog(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("by id")
    assert convo.replies == [Reply("people", "You have 12 days left.")]


async def test_a_message_goes_through_the_receivers_own_matching(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("by message how many vacation days do I have left")
    assert convo.replies == [Reply("people", "You have 12 days left.")]
    assert convo.transfers[0].resolution == "message"


async def test_with_intent_and_message_the_intent_wins(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("both")
    assert convo.replies == [Reply("people", "Payday is the 25th. (hr.payday from router)")]
    assert convo.transfers[0].message == "how many vacation days left"


async def test_with_neither_the_receiver_welcomes(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("neither")
    assert convo.replies == [Reply("people", "People Team here. How can I help?")]
    assert convo.transfers[0].resolution == "welcome"


async def test_an_intent_the_receiver_lacks_falls_back_to_the_message(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("wrong intent")
    assert convo.replies == [Reply("people", "Payday is the 25th. (hr.payday from router)")]
    assert convo.transfers[0].resolution == "people has no dialog for travel.visa; message"


async def test_an_intent_the_receiver_lacks_and_no_message_welcomes(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("wrong intent, no message")
    assert convo.replies == [Reply("people", "People Team here. How can I help?")]
    assert convo.transfers[0].resolution == "people has no dialog for travel.visa; welcome"


async def test_the_notice_comes_before_the_receivers_answer(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("with notice")
    assert convo.replies == [
        Reply("router", "Passing you to Travel"),
        Reply("travel", "Where are you flying from?"),
    ]
    transfer_id = convo.transfers[0].id
    assert [p.metadata["event_payload"]["transfer_id"] for p in convo.posts] == [transfer_id] * 2


async def test_an_unknown_skill_fails_with_a_reason_and_a_default_message(
    slack: FakeSlack, cast: dict
) -> None:
    convo = slack.conversation()
    await convo.user_says("to travle")
    result: TransferResult = cast["said"]["result"]
    assert (result.ok, result.reason) == (False, "unknown skill 'travle'. Did you mean 'travel'?")
    assert convo.replies == [Reply(
        "router", "Sorry, I couldn't hand you over to travle right now, so I'm staying with "
        "you. Could you try again in a moment, or ask me something else?")]
    assert convo.owner == "router"
    [transfer] = convo.transfers
    assert (transfer.status, transfer.reason, transfer.to_persona) == (
        "failed", "unknown skill 'travle'. Did you mean 'travel'?", None)


async def test_a_sender_that_handles_the_failure_gets_no_default_message(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("handled nowhere")
    assert convo.replies == [Reply("router", "No luck: unknown skill 'nowhere'.")]


async def test_a_transfer_failed_handler_answers_for_the_sender(
    slack: FakeSlack, cast: dict
) -> None:
    @cast["router"].transfer_failed
    async def sorry(turn: Turn) -> None:
        await turn.say(f"{turn.failed_transfer.skill} is closed; I'll keep helping.")

    convo = slack.conversation()
    await convo.user_says("to nowhere")
    assert convo.replies == [Reply("router", "nowhere is closed; I'll keep helping.")]


async def test_an_unavailable_persona_is_skipped_and_the_fallback_skill_used(
    slack: FakeSlack, cast: dict
) -> None:
    cast["people"].available = False
    convo = slack.conversation()
    await convo.user_says("to hr")
    assert convo.replies == [Reply("backup", "Concierge says hello.")]
    assert (convo.owner, convo.transfers[0].to_persona) == ("backup", "backup")


async def test_no_available_persona_fails(slack: FakeSlack, cast: dict) -> None:
    cast["travel"].available = False
    convo = slack.conversation()
    await convo.user_says("handled travel")
    assert convo.replies == [Reply("router", "No luck: no persona is available for skill 'travel'")]
    assert convo.owner == "router"


async def test_a_receiver_that_raises_fails_the_transfer_and_the_sender_keeps_it(
    slack: FakeSlack, cast: dict
) -> None:
    @cast["backup"].welcome
    async def broken(turn: Turn) -> None:
        raise RuntimeError("database down")

    convo = slack.conversation()
    await convo.user_says("handled concierge")
    assert convo.replies == [
        Reply("router", "No luck: backup failed: RuntimeError: database down")]
    assert convo.owner == "router"
    assert [(t.status, t.to_persona) for t in convo.transfers] == [("failed", "backup")]


async def test_ping_pong_is_refused_and_explained(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("ping")
    assert [(t.from_persona, t.to_persona, t.status) for t in convo.transfers] == [
        ("router", "travel", "completed"), ("travel", "router", "failed")]
    assert convo.transfers[1].reason == "loop guard: router already had this message " \
        "(router -> travel -> router)"
    assert convo.replies == [Reply(
        "travel", "Sorry, I couldn't hand you over to front_desk right now, so I'm staying "
        "with you. Could you try again in a moment, or ask me something else?")]
    assert convo.owner == "travel"


async def test_a_chain_stops_at_the_transfer_limit(db_path: Path) -> None:
    hops = [Persona(f"p{i}", skill=f"s{i}") for i in range(5)]
    for i, persona in enumerate(hops[:-1]):
        persona.dialog(pattern="*")(_forward_to(f"s{i + 1}"))
        persona.welcome(_forward_to(f"s{i + 1}"))
    hops[-1].welcome(_say("p4 here"))
    app = App(personas=hops, entry="p0", db=db_path)
    async with FakeSlack(app) as slack:
        convo = slack.conversation()
        await convo.user_says("go")
        assert [t.status for t in convo.transfers] == ["completed"] * 3 + ["failed"]
        assert convo.transfers[-1].reason == "loop guard: this message already caused 3 " \
            "transfers (limit 3)"
        assert convo.owner == "p3"
        assert [r.persona for r in convo.replies] == ["p3"]
    app.close()


def _forward_to(skill: str):
    async def forward(turn: Turn) -> None:
        await turn.transfer(skill)
    return forward


def _say(text: str):
    async def say(turn: Turn) -> None:
        await turn.say(text)
    return say


async def test_an_off_topic_follow_up_is_rerouted_not_fallen_back(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("with notice")
    await convo.user_says("when do we get paid")  # travel has no such dialog
    assert convo.replies[-1] == Reply("people", "Payday is the 25th. (hr.payday from travel)")
    assert convo.owner == "people"
    reroute = convo.transfers[-1]
    assert (reroute.kind, reroute.from_persona, reroute.to_persona, reroute.message) == (
        "reroute", "travel", "people", "when do we get paid")


async def test_a_persona_can_turn_re_routing_off(slack: FakeSlack, cast: dict) -> None:
    cast["travel"].reroute = False
    convo = slack.conversation()
    await convo.user_says("with notice")
    await convo.user_says("when do we get paid")
    assert convo.replies[-1] == Reply("travel", "Travel only knows flights.")
    assert convo.owner == "travel"


async def test_the_owner_stays_sticky_after_a_transfer(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("by name")
    await convo.user_says("hello")  # people has a "hello" pattern; the router is not asked
    assert convo.replies[-1] == Reply("people", "People Team says hello.")
    assert len(convo.transfers) == 1


async def test_exactly_one_receiver_reply_per_transfer(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("with notice")  # router -> travel, with a notice
    await convo.user_says("when do we get paid")  # travel -> people, re-routed
    await convo.user_says("neither")  # people answers itself: no transfer
    receiver_posts = [
        (post.metadata["event_payload"]["persona"], post.metadata["event_payload"]["transfer_id"])
        for post in convo.posts
        if "transfer_id" in post.metadata["event_payload"]
        and post.metadata["event_payload"]["persona"] != "router"  # the notice is the sender's
    ]
    assert receiver_posts == [(t.to_persona, t.id) for t in convo.transfers]
    assert len(convo.transfers) == 2


async def test_a_typo_in_an_intent_name_names_the_closest_intent(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    convo = slack.conversation()
    await convo.user_says("typo")
    assert convo.replies == [Reply("router", "Sorry, something went wrong on my side and I "
                                   "couldn't finish that. Please try again.")]
    assert "unknown intent 'hr.pay_day'. Did you mean 'hr.payday'?" in caplog.text


async def test_a_warm_transfer_costs_one_call_per_posted_message(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("hi there")  # warms up: auth.test happened at start-up
    calls_before = len(slack.calls)
    await convo.user_says("with notice")
    assert [c.method for c in slack.calls[calls_before:]] == ["chat.postMessage"] * 2


def test_intent_ids_are_stable() -> None:
    assert intent_id("hr", "payday") == "int_86b77992ee105c8b"
    assert hr.intents["payday"].id == intent_id("hr", "payday")


async def test_a_persona_forwards_the_intent_that_started_its_dialog(db_path: Path) -> None:
    """LivePerson's getDialogStarterIntent: the router matched an intent; pass it on by ID."""
    router = Persona("router", domains=[hr])
    people = Persona("people", skill="hr", domains=[hr])

    @router.dialog(intent="hr.pto_balance")
    async def forward(turn: Turn) -> None:
        assert turn.intent is not None and turn.intent.score >= 0.5
        await turn.transfer("hr", intent_id=turn.intent.id, message=turn.text)

    @people.dialog(intent="hr.pto_balance")
    async def pto(turn: Turn) -> None:
        ctx = turn.transferred
        await turn.say(f"{ctx.from_persona} sent {ctx.intent.name} and {ctx.message!r}")

    app = App(personas=[router, people], entry="router", db=db_path)
    async with FakeSlack(app) as slack:
        dm = slack.dm()
        await dm.user_says("how many vacation days do I have left")
        assert dm.replies == [Reply(
            "people", "router sent pto_balance and 'how many vacation days do I have left'")]
    app.close()
