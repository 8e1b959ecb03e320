"""FakeSlack itself: strict about the Web API, exact about request signing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapter import App, Persona, Turn
from adapter.testing import FakeSlack, FakeSlackError
from adapter.testing.web_api import TEAM_ID


async def test_an_unimplemented_method_fails_the_test_naming_it(slack: FakeSlack) -> None:
    client = AsyncWebClient(token=slack.api.token, base_url=slack.api_url)
    with pytest.raises(SlackApiError):
        await client.pins_list(channel="C1")
    with pytest.raises(FakeSlackError, match="'pins.list', which FakeSlack does not"):
        slack.check()


# slack_sdk itself warns about a post without text; that is the point of these tests.
no_text_warning = pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")


@no_text_warning
async def test_a_missing_argument_fails_the_test_naming_the_method(slack: FakeSlack) -> None:
    client = AsyncWebClient(token=slack.api.token, base_url=slack.api_url)
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1")
    with pytest.raises(FakeSlackError, match="chat.postMessage: missing required argument: one"):
        slack.check()


async def test_a_wrong_token_is_refused(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-wrong", base_url=slack.api_url)
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await client.auth_test()
    with pytest.raises(FakeSlackError, match="auth.test: wrong or missing bot token"):
        slack.check()


async def test_the_app_rejects_unsigned_and_stale_events(slack: FakeSlack) -> None:
    body = json.dumps({"type": "event_callback", "team_id": TEAM_ID, "event": {}})
    assert await slack.deliver(body, signature="v0=forged") == 401
    assert await slack.deliver(body, timestamp=int(time.time()) - 6 * 60) == 401


async def test_an_empty_reply_is_a_clear_error_not_a_silent_post(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Persona("bot")

    @bot.dialog(pattern="*")
    async def empty(turn: Turn) -> None:
        await turn.say("  ")

    app = App(personas=[bot], entry="bot", db=db_path)
    async with FakeSlack(app) as slack:
        dm = slack.dm()
        await dm.user_says("hi")
        assert [r.text for r in dm.replies] == [
            "Sorry, something went wrong on my side and I couldn't finish that. Please try again."]
    assert "turn.say() got '  ' from persona 'bot'; Slack refuses empty messages" in caplog.text
    app.close()
