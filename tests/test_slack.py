"""What reaches the app from Slack, and what the app posts back."""

from __future__ import annotations

from adapter.testing import FakeSlack, Reply
from adapter.testing.web_api import BOT_USER_ID, TEAM_ID


def message_event(text: str, ts: str, **extra: str) -> dict:
    return {"type": "message", "channel": "C1", "user": "U1", "text": text, "ts": ts,
            "event_ts": ts, "team": TEAM_ID, "channel_type": "channel", **extra}


async def test_a_retried_event_is_answered_once(slack: FakeSlack) -> None:
    ts = slack.clock.ts()
    event = message_event(f"<@{BOT_USER_ID}> hi", ts)
    await slack.send_event(event, event_id="Ev1")
    await slack.send_event(event, event_id="Ev1", retry_num=1)
    await slack.send_event(event, event_id="Ev1", retry_num=2)
    assert [m.text for m in slack.messages] == ["Hi! Ask me about trips or time off."]


async def test_the_mention_and_message_twins_of_one_post_are_answered_once(
    slack: FakeSlack,
) -> None:
    ts = slack.clock.ts()
    mention = message_event(f"<@{BOT_USER_ID}> hi", ts, type="app_mention")
    del mention["channel_type"]
    await slack.send_event(mention, event_id="EvMention")
    await slack.send_event(message_event(f"<@{BOT_USER_ID}> hi", ts), event_id="EvMessage")
    assert len(slack.messages) == 1


async def test_a_first_message_arrives_as_twins_and_gets_one_reply(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("hi")
    delivered = len(slack.calls)  # auth.test + one chat.postMessage, for two events
    assert [c.method for c in slack.calls] == ["auth.test", "chat.postMessage"], delivered
    assert len(convo.replies) == 1


async def test_bot_echoes_edits_and_deletions_are_ignored(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("hi")
    own_post = slack.messages[-1]
    root = convo.thread_ts
    await slack.send_event(slack.echo_of(own_post))  # our own reply, echoed back
    other_bot = message_event("beep", slack.clock.ts(), thread_ts=root, bot_id="B999")
    await slack.send_event(other_bot)
    edited = message_event("hi again", slack.clock.ts(), thread_ts=root,
                           subtype="message_changed")
    await slack.send_event(edited)
    deleted = message_event("", slack.clock.ts(), thread_ts=root, subtype="message_deleted")
    await slack.send_event(deleted)
    assert len(convo.replies) == 1


async def test_channel_chatter_and_foreign_threads_are_ignored(slack: FakeSlack) -> None:
    await slack.send_event(message_event("lunch anyone?", slack.clock.ts()))
    root = slack.clock.ts()
    await slack.send_event(message_event("hi", slack.clock.ts(), thread_ts=root))
    assert slack.messages == []


async def test_replies_carry_the_persona_name_icon_and_metadata(slack: FakeSlack) -> None:
    convo = slack.conversation(user="U1", channel="C1")
    await convo.user_says("flight to Oslo")
    post = convo.posts[-1]
    assert (post.username, post.icon) == ("Travel Desk", ":airplane:")
    transfer_id = convo.transfers[0].id
    payload = post.metadata["event_payload"]
    # The reply's stable id: the post it answers, and its place among the answers.
    assert payload.pop("reply_id") == f"post:{TEAM_ID}:C1:{convo.thread_ts}:1"
    assert post.metadata == {
        "event_type": "baton_reply",
        "event_payload": {"persona": "travel", "conversation": convo.id,
                          "transfer_id": transfer_id},
    }
    call = slack.calls[-1]
    assert call.method == "chat.postMessage"
    assert call.args["thread_ts"] == convo.thread_ts


async def test_an_icon_url_is_sent_as_icon_url(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("time off please")
    assert convo.replies == [Reply("people", "People Team here.")]
    assert slack.calls[-1].args["icon_url"] == "https://example.com/people.png"
    assert "icon_emoji" not in slack.calls[-1].args


async def test_user_text_is_never_echoed_back_unescaped(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("echo <!channel> & <@U999|boss> <https://x.io|click>", raw=True)
    await convo.user_says("echo <b>bold</b> & more")  # typed literally; Slack escapes it
    wire = [post.text for post in convo.posts]
    assert wire == [
        "You said: @channel &amp; @boss click",
        "You said: &lt;b&gt;bold&lt;/b&gt; &amp; more",
    ]
    assert convo.replies[-1] == Reply("router", "You said: <b>bold</b> & more")
