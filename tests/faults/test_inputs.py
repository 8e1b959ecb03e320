"""Hostile and odd input: every case has a defined outcome, an answer or a logged drop,
HTTP 200 for events Slack should not send again, and StoreError for bad values."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import aiohttp
import pytest

from adapter import App, Store, StoreError
from adapter.testing import FakeSlack
from adapter.testing.payloads import event_callback
from adapter.testing.web_api import BOT_USER_ID, TEAM_ID


def mention(text: object, ts: object = None, **extra: object) -> dict:
    event = {"type": "app_mention", "channel": "C1", "user": "U1", "text": text,
             "team": TEAM_ID, **extra}
    if ts is not None:
        event["ts"] = ts
    return event


async def test_a_lone_surrogate_is_answered_not_apologized_for(slack: FakeSlack) -> None:
    ts = slack.clock.ts()
    await slack.send_event(mention(f"<@{BOT_USER_ID}> echo caf\ud800e", ts, event_ts=ts))
    [reply] = [m for m in slack.messages if m.from_app]
    assert reply.text == "You said: caf\ufffde"


@pytest.mark.parametrize("event", [
    mention("hello"),  # no ts
    mention(["not", "text"], "1700000000.000100"),
    mention(None, 1700000000),  # a number for a ts
    mention("hi", "1700000000.000100", thread_ts={"ts": 1}),
])
async def test_malformed_events_are_acked_and_dropped(slack: FakeSlack, event: dict,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    status = await slack.deliver(event_callback(event, "EvMALFORMED"))
    assert status == 200  # Slack must not send it three times more
    assert [m for m in slack.messages if m.from_app] == []
    if event.get("ts"):
        assert "dropped a malformed app_mention event EvMALFORMED" in caplog.text


async def test_a_click_with_no_user_is_acked_and_dropped(slack: FakeSlack) -> None:
    payload = {"type": "block_actions", "team": {"id": TEAM_ID},
               "container": {"type": "message", "message_ts": "1700000000.000100",
                             "channel_id": "C1"},
               "actions": [{"action_id": "baton:router:route:0", "value": "0"}]}
    status = await slack.deliver(urlencode({"payload": json.dumps(payload)}),
                                 content_type="application/x-www-form-urlencoded")
    assert status == 200


async def test_a_thread_reply_that_came_before_its_first_message_is_answered_after_it(
        slack: FakeSlack) -> None:
    root = slack.clock.ts()
    reply = slack.clock.ts()
    await slack.send_event({"type": "message", "channel": "C1", "user": "U1", "text": "flight",
                            "ts": reply, "thread_ts": root, "team": TEAM_ID,
                            "channel_type": "channel"})
    assert [m for m in slack.messages if m.from_app] == []  # waiting, not dropped
    await slack.send_event(mention(f"<@{BOT_USER_ID}> I need a flight", root, event_ts=root))
    answers = [m.text for m in slack.messages if m.from_app]
    assert answers == ["Where are you flying from?", "Where are you flying from?"]
    assert await slack.app.storage.inbox("pending") == []


async def test_a_reply_in_an_old_thread_that_is_not_ours_is_not_kept_waiting(
        slack: FakeSlack) -> None:
    await slack.send_event({"type": "message", "channel": "C1", "user": "U1", "text": "lunch?",
                            "ts": slack.clock.ts(), "thread_ts": "1600000000.000100",
                            "team": TEAM_ID, "channel_type": "channel"})
    assert await slack.app.storage.inbox("pending") == []


@pytest.mark.parametrize(("value", "message"), [
    (10 ** 5000, "value is an integer of over 4,000 digits; store it as a string."),
    ("caf\ud800e", "value holds a lone surrogate at character 3, which is not text"),
    ({"note": ["\udfff"]}, "value['note'][0] holds a lone surrogate at character 0"),
], ids=["huge integer", "lone surrogate", "nested lone surrogate"])
async def test_values_no_json_file_can_hold_are_refused_with_store_error(
        app: App, value: object, message: str) -> None:
    store: Store = app.store.bind(conversation="T1:C1:1.0")
    await store.register_namespace("notes")
    with pytest.raises(StoreError) as refused:
        await store.set("notes", "x", value)
    assert str(refused.value).startswith(message)


async def test_a_value_nested_5000_deep_is_refused_with_store_error(app: App) -> None:
    deep: list = []
    inner = deep
    for _ in range(5000):
        inner.append([])
        inner = inner[0]
    store = app.store.bind(conversation="T1:C1:1.0")
    await store.register_namespace("notes")
    with pytest.raises(StoreError, match="nests lists or dicts more than 64 deep; flatten it"):
        await store.set("notes", "x", deep)


async def test_the_fake_web_api_refuses_another_host_name(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(slack.api_url + "chat.postMessage",
                                headers={"Host": "evil.example.com",
                                         "Authorization": f"Bearer {slack.api.token}"},
                                data={"channel": "C1", "text": "pwned"}) as response:
            assert response.status == 403
    assert slack.messages == []
