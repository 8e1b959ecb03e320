"""The local web playground: its JSON API and live socket, then the page in a real browser."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from adapter import App, Domain, Persona, Router, Turn
from adapter.playground import USERS, Playground, serve_playground
from adapter.playground.workspace import segments
from tests.conftest import helpdesk

try:
    from playwright.async_api import Page, async_playwright, expect

    expect.set_options(timeout=15_000)  # generous for a loaded CI machine; passing is instant
except ImportError:  # the test extras install it; without it only the browser tests skip
    async_playwright = None

ARTIFACTS = Path(__file__).parent / "artifacts"
ADA, GRACE = USERS[0], USERS[1]
HELPDESK = "C0HELPDESK"
CHROMIUM = shutil.which("chromium")
browser_test = pytest.mark.skipif(
    CHROMIUM is None or async_playwright is None,
    reason="browser tests need Debian's chromium on PATH (apt-get install -y chromium) and the "
           "playwright package (pip install -e '.[test]'); never `playwright install`.")


@pytest_asyncio.fixture
async def playground(app: App) -> AsyncIterator[Playground]:
    served = await serve_playground(app, port=0)
    yield served
    await served.close()


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
    for asset in ("app.js", "render.js", "emoji.js", "style.css"):
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


# --- a close call: the router asks with buttons (a scripted classifier) -----------------------

hr = Domain("hr", {"payday": ["when do we get paid", "when is payday"]})
trips = Domain("travel", {"visa": ["do I need a visa", "visa requirements for japan"]})
CLOSE_CALL = "I need a visa letter for my trip"


class Scripted:
    """A classifier whose answers the test writes down, so the close call is certain."""

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        pass

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return [("travel.visa", 0.83), ("hr.payday", 0.80)][:k] if text == CLOSE_CALL else []


def close_call_cast() -> list[Persona]:
    people = Persona("people", skill="hr", display_name="People Team", icon=":palm_tree:",
                     domains=[hr])
    desk = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                   domains=[trips], namespaces={"trip": 3600, "profile": None})

    @people.dialog(intent="hr.payday")
    async def payday(turn: Turn) -> None:
        await turn.say("Payday is the 25th.")

    @desk.dialog(intent="travel.visa")
    async def visa(turn: Turn) -> None:
        await turn.store.set("trip", "purpose", "visa letter")
        await turn.store.set("profile", "home_desk", "Travel Desk", scope="user")
        await turn.say(f"Visa help for: {turn.text}")

    return [Router(icon=":wave:"), people, desk]


@pytest.fixture
def close_call_app(db_path: Path) -> App:
    built = App(personas=close_call_cast(), entry="router", db=db_path,
                classifier=lambda: Scripted())
    yield built
    built.close()


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


async def open_page(playground: Playground, run: Any) -> tuple[Any, Page, list[str]]:
    """Chromium (Debian's, headless) on the playground, once the page is live; the list
    collects the page's script errors."""
    browser = await run.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"])
    page = await browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)

    async def local_only(route: Any) -> None:
        # The page itself fetches nothing from the internet; persona icons given as
        # image URLs are the one thing it may ask for, and here they are refused.
        if route.request.url.startswith(playground.url):
            await route.continue_()
        else:
            errors.extend([] if route.request.resource_type == "image"
                          else [f"fetched {route.request.url}"])
            await route.abort()

    await page.route("**/*", local_only)
    await page.goto(playground.url)
    await expect(page.locator("body")).to_have_attribute("data-live", "ready")
    return browser, page, errors


async def send(page: Page, text: str) -> None:
    await page.locator("#composer-input").fill(text)
    await page.locator("#composer-input").press("Enter")


def receiver_of(personas: Sequence[Persona], phrase: str) -> Persona:
    """The persona whose intents were trained on ``phrase`` (the shipped bots change)."""
    return next(p for p in personas for d in p.domains for i in d.intents.values()
                if phrase in i.phrases)


@browser_test
async def test_the_page_shows_a_handoff_to_another_persona(tmp_path: Path) -> None:
    from bots import ENTRY, PERSONAS

    people = receiver_of(PERSONAS, "when is payday")
    entry = next(p for p in PERSONAS if p.name == ENTRY)
    app = App(personas=PERSONAS, entry=ENTRY, db=tmp_path / "baton.db")
    served = await serve_playground(app, port=0)
    try:
        async with async_playwright() as run:
            browser, page, errors = await open_page(served, run)
            await send(page, "when is payday")

            thread = page.locator("article.thread.selected")
            reply = thread.locator(f".message.from-app[data-persona='{people.name}']").last
            await expect(reply.locator(".author")).to_have_text(people.display_name)
            await expect(thread.locator(".message").first).to_contain_text("@Baton when is payday")
            await expect(page.locator("#owner")).to_contain_text(people.display_name)
            step = page.locator("#transfers li.transfer").last
            await expect(step).to_have_attribute("data-status", "completed")
            await expect(step.locator(".transfer-head .persona-name")).to_have_text(
                [entry.display_name, people.display_name])
            await expect(step).to_contain_text("when is payday")

            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=ARTIFACTS / "playground.png")
            assert errors == []
            await browser.close()
    finally:
        await served.close()
        app.close()


@browser_test
async def test_the_routers_buttons_click_through_the_page(close_call_app: App) -> None:
    served = await serve_playground(close_call_app, port=0)
    try:
        async with async_playwright() as run:
            browser, page, errors = await open_page(served, run)
            await send(page, CLOSE_CALL)
            asking = page.locator("article.thread.selected .message.from-app").last
            await expect(asking.locator(".buttons button")).to_have_text(
                ["Travel Desk", "People Team", "Something else"])
            # Locators are lazy: pin the question down before more messages arrive.
            question = page.locator(f".message[data-ts='{await asking.get_attribute('data-ts')}']")
            await expect(page.locator("#context-conversation")).to_contain_text(
                "router_choices.pending")

            await question.get_by_role("button", name="Travel Desk").click()
            thread = page.locator("article.thread.selected")
            await expect(thread.locator(".message.from-app").last).to_contain_text(
                f"Visa help for: {CLOSE_CALL}")
            await expect(question.locator(".buttons")).to_have_count(0)
            await expect(question.locator(".note")).to_have_text(
                "Travel Desk (chosen by @Ada Lovelace)")
            await expect(page.locator("#owner")).to_contain_text("Travel Desk")
            await expect(page.locator("#transfers li.transfer.completed")).to_contain_text(
                "travel.visa")
            await expect(page.locator("#context-conversation")).to_contain_text("trip.purpose")
            await expect(page.locator("#context-conversation")).to_contain_text("visa letter")
            await expect(page.locator("#context-user")).to_contain_text("profile.home_desk")
            assert errors == []
            await browser.close()
    finally:
        await served.close()


@browser_test
async def test_another_users_dm_shows_text_as_text(playground: Playground) -> None:
    async with async_playwright() as run:
        browser, page, errors = await open_page(playground, run)
        await page.locator("#user-switcher").select_option(label=GRACE.name)
        await page.locator("#dms .nav-item").click()
        await expect(page.locator("#channel-title")).to_have_text("Baton")
        hostile = "echo <img src=x onerror=alert(1)> *bold* <b>not bold</b>"
        await send(page, hostile)

        reply = page.locator("#feed .message.from-app").last
        await expect(reply).to_contain_text("You said: <img src=x onerror=alert(1)> bold")
        await expect(reply.locator(".text strong")).to_have_text("bold")  # Slack's *bold*
        await expect(page.locator("#feed .message").first).to_contain_text("Grace Hopper")
        assert await page.locator("#feed img, #feed b").count() == 0
        await expect(page.locator("#context-user-title")).to_contain_text(GRACE.id)
        await expect(page.locator("#owner")).to_contain_text("Helpdesk")
        assert errors == []
        await browser.close()
