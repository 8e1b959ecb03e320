"""The handoff receipt: the receiver's first answer says whom it came from, and why."""

from __future__ import annotations

from pathlib import Path

from adapter import App
from adapter.testing import FakeSlack, Reply

from .conftest import helpdesk


def receipt_of(post) -> str | None:  # noqa: ANN001 - a FakeSlack message
    lines = [e["text"] for b in post.blocks or [] if b["type"] == "context"
             for e in b["elements"]]
    return lines[0] if lines else None


async def test_the_receivers_first_answer_carries_the_receipt(slack: FakeSlack) -> None:
    convo = slack.conversation()
    await convo.user_says("I need a flight to Oslo")
    assert convo.replies == [Reply("travel", "Where are you flying from?")]
    assert receipt_of(convo.posts[0]) == "from Helpdesk · travel"
    await convo.user_says("from Berlin, and another flight back")  # no transfer: no receipt
    assert receipt_of(convo.posts[-1]) is None


async def test_receipts_switched_off_for_the_app(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path, receipts=False)
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("I need a flight to Oslo")
            assert convo.posts[0].blocks is None  # plain text, as before receipts
    finally:
        app.close()


async def test_receipts_switched_off_for_one_persona(db_path: Path) -> None:
    personas = helpdesk()
    next(p for p in personas if p.name == "travel").receipt = False
    app = App(personas=personas, entry="router", db=db_path)
    try:
        async with FakeSlack(app) as slack:
            convo = slack.conversation()
            await convo.user_says("I need a flight to Oslo")
            assert receipt_of(convo.posts[0]) is None
            other = slack.conversation()
            await other.user_says("time off please")  # to People, whose receipts are on
            assert other.replies == [Reply("people", "People Team here.")]
            assert receipt_of(other.posts[0]) == "from Helpdesk · hr"
    finally:
        app.close()
