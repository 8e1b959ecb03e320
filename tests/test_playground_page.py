"""The playground page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from adapter import App, Persona
from adapter.playground import USERS, Playground, serve_playground

from .playground_helpers import CLOSE_CALL

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


async def open_page(playground: Playground, run: Any, width: int = 1440,
                    height: int = 900) -> tuple[Any, Page, list[str]]:
    """Chromium (Debian's, headless) on the playground, once the page is live; the list
    collects the page's script errors."""
    browser = await run.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"])
    page = await browser.new_page(viewport={"width": width, "height": height})
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


@asynccontextmanager
async def served_page(app: App, *, keep_app: bool = False,
                      ) -> AsyncIterator[tuple[Page, list[str]]]:
    """The playground served for ``app`` and open in Chromium: the page and its script
    errors. Afterwards the browser and the playground stop, and the app closes unless kept."""
    served = await serve_playground(app, port=0)
    try:
        async with async_playwright() as run:
            browser, page, errors = await open_page(served, run)
            try:
                yield page, errors
            finally:
                await browser.close()
    finally:
        await served.close()
        if not keep_app:
            app.close()


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
    async with served_page(app) as (page, errors):
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


@browser_test
async def test_the_routers_buttons_click_through_the_page(close_call_app: App) -> None:
    async with served_page(close_call_app, keep_app=True) as (page, errors):
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


@browser_test
async def test_a_long_message_is_cut_short_in_the_timeline_until_expanded(
    playground: Playground,
) -> None:
    long = ("I need a flight to Bergen, then a train to Oslo. " * 70)[:2999] + "!"
    async with async_playwright() as run:
        browser, page, errors = await open_page(playground, run)
        await send(page, long)
        message = page.locator("#transfers li.transfer").last.locator(".row.message dd")
        await expect(message.locator(".quote")).to_have_text(f"“{long[:200].rstrip()}…”")
        await message.get_by_role("button", name="show more").click()
        await expect(message.locator(".quote")).to_have_text(f"“{long}”")
        await message.get_by_role("button", name="show less").click()
        await expect(message.locator(".quote")).to_have_text(f"“{long[:200].rstrip()}…”")
        assert errors == []
        await browser.close()


@browser_test
async def test_at_760_pixels_wide_nothing_is_cut_off(playground: Playground) -> None:
    width, height = 760, 900
    async with async_playwright() as run:
        browser, page, errors = await open_page(playground, run, width, height)
        await send(page, "I need a flight")
        await expect(page.locator("#transfers li.transfer")).to_have_attribute(
            "data-status", "completed")
        for part in (".sidebar", ".details", "#composer", "#send", "#new-thread"):
            box = await page.locator(part).bounding_box()
            assert box is not None, part
            assert (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width
                    and box["y"] + box["height"] <= height), (part, box)
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "playground-760.png")
        assert errors == []
        await browser.close()


@browser_test
async def test_sending_once_the_playground_stopped_says_so_and_keeps_the_text(
    playground: Playground,
) -> None:
    async with async_playwright() as run:
        browser, page, errors = await open_page(playground, run)
        await playground.close()
        await expect(page.locator("body")).to_have_attribute("data-live", "offline")
        typed = "I need a flight\n  from Bergen, please "
        await page.locator("#composer-input").fill(typed)
        await page.locator("#send").click()
        await expect(page.locator("#toast")).to_have_text(
            "The playground is not running: start it again with make run, then resend.")
        await expect(page.locator("#toast code")).to_have_text("make run")
        await expect(page.locator("#composer-input")).to_have_value(typed)
        # Reconnecting to a stopped server is logged by the browser; nothing else may be.
        assert [e for e in errors if "WebSocket connection" not in e] == []
        await browser.close()


@browser_test
async def test_slack_emoji_shortcodes_show_as_emoji(playground: Playground) -> None:
    async with async_playwright() as run:
        browser, page, errors = await open_page(playground, run)
        await page.locator("#dms .nav-item").click()
        await send(page, "echo :sob: then :tada: and :not_an_emoji:")
        reply = page.locator("#feed .message.from-app").last
        await expect(reply.locator(".text")).to_have_text(
            "You said: 😭 then 🎉 and :not_an_emoji:")
        await expect(reply.locator(".avatar")).to_have_text("👋")  # the router's :wave: icon
        assert errors == []
        await browser.close()


@browser_test
async def test_a_person_claims_answers_and_hands_back_in_the_playground(tmp_path: Path) -> None:
    from bots import ENTRY, PERSONAS
    from bots.specialists import specialists

    app = App(personas=PERSONAS, entry=ENTRY, db=tmp_path / "baton.db")
    async with served_page(app) as (page, errors):
        await send(page, "can I talk to a real person please")  # Ada, in #helpdesk
        thread = page.locator("article.thread.selected")
        await expect(thread.locator(".message.from-app").last).to_contain_text(
            "I've asked HR specialists to join")
        await expect(page.locator("#owner")).to_contain_text("HR specialists")

        # Grace plays the agent: the card waits in the team's channel.
        await page.locator("#user-switcher").select_option(label=GRACE.name)
        await page.locator(f"#channels .nav-item[data-channel='{specialists.channel}']").click()
        card = page.locator("#feed .message.from-app").last
        await expect(card).to_contain_text("needs a person")
        await expect(card).to_contain_text("Asked the Helpdesk for a person straight away.")
        await card.get_by_role("button", name="Claim").click()
        await expect(card).to_contain_text("Claimed by @Grace Hopper")

        await page.locator(f"#channels .nav-item[data-channel='{HELPDESK}']").click()
        await page.locator("article.thread").last.click()
        await expect(page.locator("#owner")).to_contain_text("Grace Hopper (a person)")
        await send(page, "Hi Ada, Grace from HR here. Payday is on the 25th, by the way.")
        await send(page, "/baton release hr.payday")
        thread = page.locator("article.thread.selected")
        answer = thread.locator(".message.from-app[data-persona='people']").last
        await expect(answer).to_contain_text("Salaries are paid on the 25th of each month.")
        await expect(page.locator("#owner")).to_contain_text("People Team")
        hops = page.locator("#transfers li.transfer")
        await expect(hops).to_have_count(2)
        await expect(hops.first.locator(".transfer-head .persona-name")).to_have_text(
            ["Helpdesk", "HR specialists"])
        await expect(hops.last.locator(".transfer-head .persona-name")).to_have_text(
            ["Grace Hopper (a person)", "People Team"])
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "playground-human-team.png")
        assert errors == []


@browser_test
async def test_an_agent_thread_shows_a_status_line_then_a_reply_growing(tmp_path: Path) -> None:
    import asyncio

    from adapter import Turn

    step = [asyncio.Event() for _ in range(3)]  # the test lets the "backend" go on
    # slack_sdk sends a stream 256 characters at a time: pieces that long show as they come.
    pieces = ("Economy for flights under six hours; " * 8, "premium economy above; " * 12,
              "hotels up to 250 a night.")
    # The test sets the pace (and takes screenshots between steps): no 15 s time limit.
    router = Persona("router", skill="front_desk", display_name="Helpdesk", icon=":wave:",
                     timeout=120)
    travel = Persona("travel", skill="travel", display_name="Travel Desk", icon=":airplane:",
                     timeout=120)

    @router.welcome
    async def hello(turn: Turn) -> None:
        await turn.say("Hi! What do you need?")

    @router.dialog(pattern="*policy*")
    async def to_travel(turn: Turn) -> None:
        await turn.transfer("travel", message=turn.text)

    @travel.fallback
    async def policy(turn: Turn) -> None:
        await turn.status("reading the travel policy")
        await step[0].wait()
        async with turn.stream() as reply:
            for piece, going_on in zip(pieces, step[1:] + [None], strict=True):
                await reply.write(piece)
                if going_on is not None:
                    await going_on.wait()

    app = App(personas=[router, travel], entry="router", db=tmp_path / "baton.db")
    try:
        async with served_page(app) as (page, errors):
            await page.locator("#dms .nav-item").click()
            await page.locator("#new-agent-thread").click()
            thread = page.locator("article.agent-thread.selected")
            await expect(thread).to_contain_text("Hi! What do you need?")
            await send(page, "what is the travel policy?")
            status = thread.locator(".status-line")
            await expect(status).to_have_text("•••Travel Desk is reading the travel policy…")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=ARTIFACTS / "playground-status-line.png")

            step[0].set()
            answer = thread.locator(".message.from-app").last
            await expect(answer).to_contain_text("Economy for flights under six hours")
            await expect(answer).not_to_contain_text("premium economy above")  # still growing
            await page.screenshot(path=ARTIFACTS / "playground-stream-growing.png")
            step[1].set()
            await expect(answer).to_contain_text("premium economy above")
            step[2].set()
            await expect(answer).to_contain_text("hotels up to 250 a night.")
            await expect(status).to_have_count(0)  # cleared once the answer is complete
            assert errors == []
    finally:
        for event in step:
            event.set()


@browser_test
async def test_baton_who_answers_only_its_user_and_the_home_tab_lists_the_desks(
        tmp_path: Path) -> None:
    from bots import ENTRY, PERSONAS

    people = receiver_of(PERSONAS, "when is payday")
    app = App(personas=PERSONAS, entry=ENTRY, db=tmp_path / "baton.db")
    async with served_page(app) as (page, errors):
        await send(page, "when is payday")  # Ada, in #helpdesk
        await expect(page.locator("#owner")).to_contain_text(people.display_name)
        await send(page, "/baton who")
        whisper = page.locator("#feed .message.ephemeral")
        await expect(whisper).to_contain_text("Only visible to you")
        await expect(whisper).to_contain_text(
            f"{people.display_name} answers this conversation.")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "playground-slash-command.png")
        await page.locator("#user-switcher").select_option(label=GRACE.name)
        await expect(whisper).to_have_count(0)  # Grace never sees Ada's answer
        await page.locator("#user-switcher").select_option(label=ADA.name)
        await expect(whisper).to_have_count(1)

        await page.locator("#apps .nav-item").click()  # the app's Home tab
        home = page.locator("#feed .home")
        await expect(home.locator(".home-header")).to_have_text(
            ["Who can help", "Your recent conversations"])
        await expect(home).to_contain_text(f"{people.display_name} (a bot)")
        await expect(home.locator(".home-section").last).to_have_text(
            f"a thread in #helpdesk: {people.display_name} answers it")
        await expect(page.locator("#composer")).to_be_hidden()
        await page.screenshot(path=ARTIFACTS / "playground-home.png")
        await home.get_by_role("link", name="a thread").click()  # opens it here
        await expect(page.locator("article.thread.selected")).to_contain_text(
            "@Baton when is payday")
        await expect(page.locator("#composer")).to_be_visible()
        assert errors == []
