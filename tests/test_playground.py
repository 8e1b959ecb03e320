"""The local web playground: its JSON API and live socket (the page: test_playground_page)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from adapter import App
from adapter.playground import USERS, Playground, serve_playground
from adapter.playground.workspace import segments
from tests.conftest import helpdesk

from .playground_helpers import CLOSE_CALL

ADA, GRACE = USERS[0], USERS[1]
HELPDESK = "C0HELPDESK"


@pytest_asyncio.fixture
async def http(playground: Playground) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=playground.url) as session:
        yield session


async def call(http: aiohttp.ClientSession, path: str, body: Any = None,
               status: int = 200, **kwargs: Any) -> dict[str, Any]:
    """GET (no body) or POST JSON; check the status; return the JSON answer."""
    if body is None:
        response = await http.get(path, **kwargs)
    else:
        response = await http.post(path, json=body, **kwargs)
    async with response:
        assert response.status == status, await response.text()
        return await response.json()


def texts(state: dict[str, Any], channel: str) -> list[tuple[str, str]]:
    return [(m["author"], m["text"]) for m in state["messages"] if m["channel"] == channel]


# --- the JSON API (always runs) ------------------------------------------------------------


async def test_the_page_is_served_with_a_strict_content_policy(
    http: aiohttp.ClientSession,
) -> None:
    async with http.get("/") as page:
        assert page.status == 200
        assert "Baton playground" in await page.text()
        policy = page.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'self';") and "unsafe" not in policy
    for asset in ("app.js", "api.js", "render.js", "panel.js", "emoji.js", "style.css"):
        async with http.get(f"/static/{asset}") as response:
            assert response.status == 200, asset


async def test_a_first_message_mentions_the_app_and_a_reply_stays_in_the_thread(
    http: aiohttp.ClientSession,
) -> None:
    said = await call(http, "/api/say", {"channel": HELPDESK, "user": ADA.id,
                                         "text": "I need a flight"})
    thread = said["thread"]
    await call(http, "/api/say", {"channel": HELPDESK, "user": GRACE.id, "thread": thread,
                                  "text": "from Bergen"})
    state = await call(http, "/api/state")
    assert texts(state, HELPDESK) == [
        ("Ada Lovelace", "@Baton I need a flight"),
        ("Travel Desk", "Where are you flying from?"),
        ("Grace Hopper", "from Bergen"),
        ("Travel Desk", "Travel Desk noted: from Bergen"),
    ]
    root, *replies = [m for m in state["messages"] if m["channel"] == HELPDESK]
    assert root["parts"][0] == {"kind": "mention", "text": "@Baton"}
    assert [m["thread"] for m in replies] == [thread] * 3 and root["ts"] == thread
    assert [(m["persona"], m["icon"]) for m in replies if m["from_app"]] == [
        ("travel", ":airplane:")] * 2

    panel = await call(http, f"/api/panel?channel={HELPDESK}&thread={thread}&user={ADA.id}")
    assert panel["owner"]["display_name"] == "Travel Desk"
    [transfer] = panel["transfers"]
    assert (transfer["from"]["name"], transfer["to"]["name"], transfer["skill"],
            transfer["message"], transfer["status"]) == (
        "router", "travel", "travel", "I need a flight", "completed")


async def test_dms_are_top_level_and_a_new_conversation_starts_with_the_entry_persona(
    http: aiohttp.ClientSession,
) -> None:
    dm = ADA.dm
    await call(http, "/api/say", {"channel": dm, "user": ADA.id, "text": "I need a flight"})
    first = await call(http, f"/api/panel?channel={dm}&user={ADA.id}")
    assert (first["conversation"]["kind"], first["owner"]["name"]) == ("dm", "travel")

    await call(http, "/api/dm/new", {"user": ADA.id})
    await call(http, "/api/say", {"channel": dm, "user": ADA.id, "text": "hello"})
    second = await call(http, f"/api/panel?channel={dm}&user={ADA.id}")
    assert second["conversation"]["id"] != first["conversation"]["id"]
    assert (second["owner"]["name"], second["transfers"]) == ("router", [])
    state = await call(http, "/api/state")
    assert not any(m["is_reply"] for m in state["messages"])
    assert texts(state, dm)[-1] == ("Helpdesk", "Hi! Ask me about trips or time off.")


async def test_the_live_socket_pushes_each_message_as_it_happens_then_settles(
    playground: Playground, http: aiohttp.ClientSession,
) -> None:
    async with http.ws_connect("/api/live") as ws:
        hello = await ws.receive_json()
        assert (hello["type"], hello["instance"]) == (
            "hello", (await call(http, "/api/state"))["instance"])
        said = await call(http, "/api/say", {"channel": HELPDESK, "user": ADA.id,
                                             "text": "echo <b>hi</b> & bye"})
        events = [await ws.receive_json() for _ in range(3)]
    assert [(e["type"], e.get("message", {}).get("author")) for e in events] == [
        ("message", "Ada Lovelace"), ("message", "Helpdesk"), ("settled", None)]
    assert events[1]["message"]["text"] == "You said: <b>hi</b> & bye"  # text, never markup
    assert events[1]["message"]["rev"] > events[0]["message"]["rev"]
    assert (events[2]["channel"], events[2]["thread"]) == (HELPDESK, said["thread"])


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/say", {"channel": HELPDESK, "user": "ada", "text": "hi"}, 400),
    ("/api/say", {"channel": HELPDESK, "user": ADA.id, "text": "  "}, 400),
    ("/api/say", {"channel": HELPDESK, "user": ADA.id, "text": "x" * 4001}, 400),
    ("/api/say", {"channel": "C0NOWHERE", "user": ADA.id, "text": "hi"}, 404),
    ("/api/say", {"channel": GRACE.dm, "user": ADA.id, "text": "hi"}, 404),
    ("/api/say", {"channel": HELPDESK, "user": ADA.id, "text": "hi", "thread": "1.000001"}, 404),
    ("/api/say", ["not", "an", "object"], 400),
    ("/api/click", {"channel": HELPDESK, "ts": "1.000001", "label": "Yes", "user": ADA.id}, 404),
])
async def test_requests_the_playground_refuses(
    http: aiohttp.ClientSession, path: str, body: Any, status: int,
) -> None:
    answer = await call(http, path, body, status=status)
    assert answer["error"]


async def test_other_web_pages_cannot_drive_the_app(
    playground: Playground, http: aiohttp.ClientSession,
) -> None:
    say = {"channel": HELPDESK, "user": ADA.id, "text": "hi"}
    await call(http, "/api/say", say, status=403, headers={"Origin": "http://evil.example"})
    await call(http, "/api/say", say, status=403,
               headers={"Host": f"evil.example:{playground.port}"})
    async with http.post("/api/say", data=json.dumps(say),
                         headers={"Content-Type": "text/plain"}) as form_post:
        assert form_post.status == 415  # what a cross-site <form> could send
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await http.ws_connect("/api/live", headers={"Origin": "http://evil.example"})


async def test_a_taken_port_raises_oserror_and_stops_what_it_started(
    playground: Playground, tmp_path: Path,
) -> None:
    other = App(personas=helpdesk(), entry="router", db=tmp_path / "other.db")
    with pytest.raises(OSError):
        await serve_playground(other, port=playground.port)
    served = await serve_playground(other, port=0)  # the app was stopped, so it starts again
    await served.close()
    other.close()


def test_message_text_is_split_into_safe_parts() -> None:
    assert segments(f"&lt;b&gt; hi <@{ADA.id}> see <https://example.com|docs> &amp; <#C1|x>") == [
        {"kind": "text", "text": "<b> hi "},
        {"kind": "mention", "text": "@Ada Lovelace"},
        {"kind": "text", "text": " see "},
        {"kind": "link", "text": "docs", "href": "https://example.com"},
        {"kind": "text", "text": " & "},
        {"kind": "mention", "text": "#x"},
    ]


def test_slack_shortcodes_resolve_from_the_emoji_package() -> None:
    from adapter.playground.emoji import shortcodes

    names = shortcodes()
    assert [names[n] for n in ("sob", "tada", "palm_tree", "airplane", "credit_card", "compass",
                               "wave", "+1", "thumbsup", "cat")] == [
        "😭", "🎉", "🌴", "✈️", "💳", "🧭", "👋", "👍", "👍", "🐱"]  # Slack's cat is a face
    assert names["loudly_crying_face"] == "😭"  # the CLDR names too
    assert all(name == name.lower() and not name.startswith(":") for name in names)


async def test_the_page_gets_the_emoji_map_from_the_server(http: aiohttp.ClientSession) -> None:
    served = await call(http, "/api/emoji")
    assert (served["sob"], served["tada"], served["party_popper"]) == ("😭", "🎉", "🎉")
    assert len(served) > 3000  # the whole dataset, not a hand-picked few


# --- a close call: the router asks with buttons (a scripted classifier) -----------------------

async def test_a_click_through_the_api_transfers_and_the_panel_shows_the_store(
    close_call_app: App,
) -> None:
    served = await serve_playground(close_call_app, port=0)
    try:
        async with aiohttp.ClientSession(base_url=served.url) as http:
            thread = (await call(http, "/api/say", {"channel": HELPDESK, "user": ADA.id,
                                                    "text": CLOSE_CALL}))["thread"]
            panel_url = f"/api/panel?channel={HELPDESK}&thread={thread}&user={ADA.id}"
            waiting = await call(http, panel_url)
            assert [e["key"] for e in waiting["context"]["conversation"]] == ["pending"]
            question = (await call(http, "/api/state"))["messages"][-1]
            assert [b["label"] for b in question["buttons"]] == [
                "Travel Desk", "People Team", "Something else"]

            await call(http, "/api/click", {"channel": HELPDESK, "ts": question["ts"],
                                            "label": "Travel Desk", "user": ADA.id})
            await call(http, "/api/click", {"channel": HELPDESK, "ts": question["ts"],
                                            "label": "People Team", "user": ADA.id}, status=409)
            state = await call(http, "/api/state")
            panel = await call(http, panel_url)
    finally:
        await served.close()
    answered = next(m for m in state["messages"] if m["ts"] == question["ts"])
    assert answered["buttons"] == []
    assert answered["notes"] == [[{"kind": "text", "text": "Travel Desk (chosen by "},
                                  {"kind": "mention", "text": "@Ada Lovelace"},
                                  {"kind": "text", "text": ")"}]]
    assert texts(state, HELPDESK)[-1] == ("Travel Desk", f"Visa help for: {CLOSE_CALL}")
    assert panel["owner"]["name"] == "travel"
    assert [(t["intent"], t["status"]) for t in panel["transfers"]] == [
        ("travel.visa", "completed")]
    assert [(e["namespace"], e["key"], e["value"]) for e in panel["context"]["conversation"]] == [
        ("trip", "purpose", "visa letter")]
    assert [(e["namespace"], e["key"], e["value"]) for e in panel["context"]["user"]] == [
        ("profile", "home_desk", "Travel Desk")]


# --- the page, in Chromium ------------------------------------------------------------------


async def test_the_home_tab_and_an_answer_to_baton_who_reach_the_page(
    http: aiohttp.ClientSession,
) -> None:
    said = await call(http, "/api/say", {"channel": HELPDESK, "user": ADA.id,
                                         "text": "I need a flight"})
    home = await call(http, "/api/home", {"user": ADA.id})  # Ada opens the app's Home tab
    link = f"https://baton-fake.slack.com/archives/{HELPDESK}/p{said['thread'].replace('.', '')}"
    assert home["blocks"] == [
        {"kind": "header", "text": "Who can help"},
        {"kind": "section", "parts": [{"kind": "text", "text": "*Travel Desk* (a bot)"}]},
        {"kind": "section", "parts": [{"kind": "text", "text": "*People Team* (a bot)"}]},
        {"kind": "divider"},
        {"kind": "header", "text": "Your recent conversations"},
        {"kind": "section", "parts": [
            {"kind": "link", "text": "a thread", "href": link},
            {"kind": "text", "text": " in "}, {"kind": "mention", "text": "#helpdesk"},
            {"kind": "text", "text": ": Travel Desk answers it"}]}]

    await call(http, "/api/say", {"channel": HELPDESK, "user": ADA.id, "text": "/baton who"})
    [whisper] = (await call(http, "/api/state"))["ephemeral"]
    assert (whisper["channel"], whisper["only_for"], whisper["author"], whisper["from_app"],
            whisper["is_reply"]) == (HELPDESK, ADA.id, "Baton", True, False)
    assert whisper["text"].splitlines()[0] == "Travel Desk answers this conversation."
    assert whisper["text"].splitlines()[1].endswith("Helpdesk → Travel Desk, transfer")
