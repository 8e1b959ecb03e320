"""People as a skill: a thread handed to a human team, claimed, answered by a person while
the bots stay silent, and handed back warm."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapter import App, Domain, Hours, HumanTeam, Persona, Turn
from adapter.testing import FakeSlack, Reply

QUEUE = "C0PAYQUEUE"
AGENT, OTHER = "U0AGENTDANA", "U0AGENTLEO"
hr = Domain("hr", {"payday": ["when do we get paid", "when is payday", "next pay date"]})


def cast(**team: object) -> list[Persona]:
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:",
                     namespaces={"case": None})
    people = Persona("people", skill="hr", display_name="People Team", icon=":palm_tree:",
                     domains=[hr])
    payroll = HumanTeam("payroll_specialists", channel=QUEUE, display_name="Payroll specialists",
                        icon=":busts_in_silhouette:", **team)  # type: ignore[arg-type]

    @router.dialog(pattern="*payroll mistake*")
    async def escalate(turn: Turn) -> None:
        await turn.store.set("case", "month", "May")
        await turn.transfer("payroll_specialists", message=turn.text,
                            notice="Let me get a payroll specialist for you.",
                            note="Second time this month; overtime from the 12th")

    @router.dialog(pattern="*ask dana*")
    async def escalate_to_dana(turn: Turn) -> None:
        await turn.transfer("payroll_specialists", message=turn.text, agent=AGENT)

    @router.welcome
    async def hello(turn: Turn) -> None:
        await turn.say("Helpdesk here again. What else can I do for you?")

    @people.fallback
    async def logged(turn: Turn) -> None:
        await turn.say("I can't fix payroll myself, but I've logged it for Payroll; they will "
                       "email you within a day.")

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say("Salaries are paid on the 25th of each month.")

    return [router, people, payroll]


@pytest.fixture
def app(db_path: Path) -> App:
    built = App(personas=cast(), entry="router", db=db_path)
    yield built
    built.close()


async def test_a_thread_handed_to_people_gets_a_card_with_everything_they_need(
    slack: FakeSlack,
) -> None:
    convo = slack.conversation()
    await convo.user_says("my overtime is missing, payroll mistake again")
    assert convo.replies == [
        Reply("router", "Let me get a payroll specialist for you."),
        Reply("payroll_specialists", "I've asked Payroll specialists to join; someone usually "
              "picks this up within 15 minutes. The bots will stay quiet here meanwhile.")]
    [card] = slack.channel(QUEUE)
    root = convo.thread_ts
    assert card.username == "Payroll specialists"
    assert card.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*Payroll specialists*: <@U0USER001> needs a person (handed over by Helpdesk)\n"
            ">my overtime is missing, payroll mistake again")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*Note from Helpdesk* (the user does not see it):\n"
            "Second time this month; overtime from the 12th")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*The thread so far*\n"
            "*<@U0USER001>*: my overtime is missing, payroll mistake again\n"
            "*Helpdesk*: Let me get a payroll specialist for you.")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*Stored for this conversation*\n`case.month` = \"May\"")}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"<https://baton-fake.slack.com/archives/C0GENERAL/p{root.replace('.', '')}|Open "
            "the thread> · Waiting for someone to claim it (usually within 15 minutes)")}]},
        {"type": "actions", "block_id": "baton_buttons", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Claim"},
             "action_id": "baton:payroll_specialists:claim:0", "value": convo.transfers[0].id,
             "style": "primary"}]}]
    assert convo.owner == "payroll_specialists"
    [transfer] = convo.transfers
    assert (transfer.status, transfer.to_persona, transfer.resolution) == (
        "started", "payroll_specialists", "waiting for payroll_specialists")
    assert "Second time" not in " ".join(r.text for r in convo.replies)  # the note stays private


async def test_the_first_agent_to_claim_joins_under_their_own_name_and_the_bots_go_quiet(
    slack: FakeSlack,
) -> None:
    slack.api.people[AGENT] = "Dana Scully"
    convo = slack.conversation()
    await convo.user_says("payroll mistake: my overtime is missing")
    [card] = slack.channel(QUEUE)
    await slack.click(card, "Claim", user=AGENT)
    assert convo.owner == f"human:{AGENT}"
    joined = convo.posts[-1]
    assert (joined.username, joined.icon, joined.text) == (
        "Dana Scully", f"https://avatars.example.com/{AGENT}.png",
        "Hi, I'm Dana Scully from Payroll specialists. I'll take it from here.")
    assert card.blocks[-2]["elements"][0]["text"].endswith(
        f"Claimed by <@{AGENT}>: reply in the thread")
    assert [b["text"]["text"] for b in card.buttons] == ["Back to bots"]
    [transfer] = convo.transfers
    assert (transfer.status, transfer.resolution) == ("completed", f"claimed by {AGENT}")

    answers = len(convo.posts)
    await slack.post_as_user(AGENT, "C0GENERAL", "Found it: it goes out on Friday.",
                             thread_ts=convo.thread_ts)
    await convo.user_says("thanks, and when is payday?")
    assert len(convo.posts) == answers  # a person owns the thread: no bot answers in it


async def test_two_agents_clicking_at_once_give_one_owner(slack: FakeSlack) -> None:
    import asyncio

    convo = slack.conversation()
    await convo.user_says("payroll mistake on my payslip")
    [card] = slack.channel(QUEUE)
    await asyncio.gather(slack.click(card, "Claim", user=AGENT),
                         slack.click(card, "Claim", user=OTHER))
    assert convo.owner in (f"human:{AGENT}", f"human:{OTHER}")
    joined = [p for p in convo.posts if "I'll take it from here" in p.text]
    assert len(joined) == 1
    loser = OTHER if convo.owner == f"human:{AGENT}" else AGENT
    assert [m.text for m in slack.ephemeral if m.username == loser] == [
        "This button no longer works: the question was answered already."]


async def test_release_with_an_intent_hands_back_warm(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("payroll mistake: my overtime is missing")
    [card] = slack.channel(QUEUE)
    await slack.click(card, "Claim", user=AGENT)
    await slack.slash_command("release hr.payday", user=AGENT, channel="C0GENERAL")
    assert convo.replies[-1] == Reply("people", "Salaries are paid on the 25th of each month.")
    assert convo.owner == "people"
    released = convo.transfers[-1]
    assert (released.kind, released.from_persona, released.to_persona, released.skill,
            released.status, released.resolution) == (
        "release", f"human:{AGENT}", "people", "hr", "completed", "intent")
    assert card.blocks[-1]["elements"][0]["text"].endswith(
        f"Back with People Team, handed back by <@{AGENT}>")


async def test_back_to_bots_returns_to_the_entry_persona(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("payroll mistake: my overtime is missing")
    [card] = slack.channel(QUEUE)
    await slack.click(card, "Claim", user=AGENT)
    await slack.click(card, "Back to bots", user=AGENT)
    assert convo.replies[-1] == Reply("router", "Helpdesk here again. What else can I do for "
                                      "you?")
    assert convo.owner == "router"


async def test_a_release_typo_is_named_to_the_agent_alone(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("payroll mistake: my overtime is missing")
    await slack.click(slack.channel(QUEUE)[0], "Claim", user=AGENT)
    await slack.slash_command("release hr.pay_day", user=AGENT, channel="C0GENERAL")
    assert convo.owner == f"human:{AGENT}"
    [note] = [m for m in slack.ephemeral if m.username == AGENT]
    assert note.text.startswith("Unknown intent 'hr.pay_day'. Did you mean 'hr.payday'?")


def app_with(db_path: Path, **team: object) -> App:
    fallback = team.pop("fallback", None)
    return App(personas=cast(**team), entry="router", db=db_path,
               fallback_skills={"payroll_specialists": fallback} if fallback else None)


async def test_nobody_claiming_in_time_goes_to_the_fallback_skill(db_path: Path) -> None:
    app = app_with(db_path, claim_timeout=600, fallback="hr")
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("payroll mistake: my overtime is missing")
            await slack.advance(599)
            assert convo.owner == "payroll_specialists"  # still waiting
            await slack.advance(2)
            assert convo.replies[-1] == Reply("people", (
                "I can't fix payroll myself, but I've logged it for Payroll; they will email "
                "you within a day."))
            assert convo.owner == "people"
            [card] = slack.channel(QUEUE)
            assert card.buttons == []
            assert card.blocks[-1]["elements"][0]["text"].endswith(
                "Nobody claimed it in time: back with the bots")
            assert [(t.to_persona, t.status, t.reason) for t in convo.transfers] == [
                ("payroll_specialists", "failed",
                 "nobody in payroll_specialists claimed it within 10 minutes"),
                ("people", "completed", None)]
            await slack.advance(600)  # the wait ended once: nothing more happens
            assert len(convo.transfers) == 2
    finally:
        app.close()


async def test_nobody_claiming_in_time_without_a_fallback_is_answered_by_the_sender(
    db_path: Path,
) -> None:
    app = app_with(db_path, claim_timeout=60)
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("payroll mistake: my overtime is missing")
            await slack.advance(61)
            assert convo.replies[-1] == Reply("router", (
                "Sorry, I couldn't hand you over to payroll_specialists right now, so I'm "
                "staying with you. Could you try again in a moment, or ask me something else?"))
            assert convo.owner == "router"
    finally:
        app.close()


def tomorrow() -> str:
    return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[(datetime.now(UTC).weekday() + 1) % 7]


async def test_after_hours_the_transfer_fails_at_once_and_says_why(db_path: Path) -> None:
    app = app_with(db_path, hours=Hours("09:00-17:00", days=tomorrow(), tz="UTC"))
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("payroll mistake: my overtime is missing")
            assert convo.replies[-1].text.startswith("Sorry, I couldn't hand you over to "
                                                     "payroll_specialists right now")
            assert slack.channel(QUEUE) == []
            [transfer] = convo.transfers
            assert (transfer.status, transfer.reason) == (
                "failed", f"payroll_specialists is outside its hours ({tomorrow()} "
                "09:00-17:00 UTC)")
    finally:
        app.close()


async def test_after_hours_a_fallback_skill_answers_instead(db_path: Path) -> None:
    app = app_with(db_path, hours=Hours(days=tomorrow()), fallback="hr")
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("payroll mistake: my overtime is missing")
            assert convo.replies[-1].persona == "people"
            assert [t.to_persona for t in convo.transfers] == ["people"]
    finally:
        app.close()


async def test_a_named_agent_is_asked_first_then_the_whole_team(db_path: Path) -> None:
    app = app_with(db_path, agent_timeout=120, claim_timeout=900)
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("ask dana about my overtime")
            [first] = slack.channel(AGENT)  # a direct message to the agent
            assert slack.channel(QUEUE) == []
            await slack.advance(121)
            assert first.buttons == []
            assert first.blocks[-1]["elements"][0]["text"].endswith(
                f"Not claimed in time by <@{AGENT}>: passed to the whole team")
            [card] = slack.channel(QUEUE)
            await slack.click(card, "Claim", user=OTHER)
            assert convo.owner == f"human:{OTHER}"
            await slack.advance(901)  # the team's wait ended claimed: nothing happens
            assert convo.owner == f"human:{OTHER}"
    finally:
        app.close()


async def test_claim_and_release_work_over_socket_mode_too(db_path: Path) -> None:
    app = App(personas=cast(), entry="router", db=db_path)
    try:
        async with FakeSlack(app, socket_mode=True) as slack:
            convo = slack.conversation()
            await convo.user_says("payroll mistake: my overtime is missing")
            await slack.click(slack.channel(QUEUE)[0], "Claim", user=AGENT)
            await slack.slash_command("release hr.payday", user=AGENT, channel="C0GENERAL")
            assert convo.replies[-1] == Reply("people", "Salaries are paid on the 25th of each "
                                              "month.")
    finally:
        app.close()
