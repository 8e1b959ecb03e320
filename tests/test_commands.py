"""`/baton who`, `/baton restart` and `/baton help`, as a user types them in Slack."""

from __future__ import annotations

import re

from adapter.testing import FakeSlack, Reply


def said_to(slack: FakeSlack, user: str = "U0USER001") -> list[str]:
    """What only ``user`` saw (the commands' answers), with times as HH:MM."""
    return [re.sub(r"\d\d:\d\d UTC", "HH:MM UTC", m.text) for m in slack.ephemeral
            if m.username == user]


async def test_help_lists_the_commands(slack: FakeSlack) -> None:
    await slack.slash_command("help", user="U0USER001", channel="C0GENERAL")
    assert said_to(slack) == [
        "/baton who: who answers your latest conversation here, and how it got there\n"
        "/baton restart: start that conversation again with Helpdesk\n"
        "/baton release [skill or domain.intent] [message]: for an agent who claimed a "
        "conversation, hand it back to the bots\n"
        "/baton help: this list"]


async def test_who_names_the_owner_and_every_hop(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I need a flight to Oslo")
    await slack.slash_command("who", user="U0USER001", channel="C0GENERAL")
    assert said_to(slack) == ["Travel Desk answers this conversation.\n"
                              "• HH:MM UTC Helpdesk → Travel Desk, transfer"]


async def test_who_before_any_conversation_says_how_to_start(slack: FakeSlack) -> None:
    await slack.slash_command("who", user="U0USER001", channel="C0GENERAL")
    assert said_to(slack) == ["You have no conversation with the app here yet: mention it in "
                              "a thread to start one."]


async def test_restart_hands_the_thread_back_to_the_entry_persona(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I need a flight to Oslo")
    await slack.slash_command("restart", user="U0USER001", channel="C0GENERAL")
    assert convo.replies[-1] == Reply("router", "Hi, Helpdesk here. How can I help?")
    assert convo.owner == "router"
    assert [(t.kind, t.from_persona, t.to_persona) for t in convo.transfers] == [
        ("transfer", "router", "travel"), ("restart", "travel", "router")]


async def test_who_in_a_dm_means_its_current_conversation(slack: FakeSlack) -> None:
    dm = slack.dm()
    await dm.user_says("echo hello")
    await slack.slash_command("who", user="U0USER001", channel=dm.channel)
    assert said_to(slack) == ["Helpdesk answers this conversation.\n"
                              "It started with Helpdesk and has not moved since."]
