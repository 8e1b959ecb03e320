"""The outbox on both backends: a streamed reply is "streaming" from its first piece in
Slack until it is delivered, and a delivered reply never goes back."""

from __future__ import annotations

from pathlib import Path

from adapter.storage import open_storage


async def test_a_streamed_reply_is_streaming_until_delivered_and_stays_delivered(
        db_path: Path | str) -> None:
    storage = open_storage(db_path)
    try:
        assert await storage.reply_status("T1:C1:1.0:m1:1") is None
        await storage.mark_streaming("T1:C1:1.0:m1:1", "T1:C1:1.0", "2.000100")
        await storage.mark_streaming("T1:C1:1.0:m1:1", "T1:C1:1.0", "2.000200")  # first wins
        assert await storage.reply_status("T1:C1:1.0:m1:1") == ("streaming", "2.000100")
        await storage.mark_delivered([("T1:C1:1.0:m1:1", "T1:C1:1.0", "2.000100")])
        await storage.mark_streaming("T1:C1:1.0:m1:1", "T1:C1:1.0", "3.000100")
        assert await storage.reply_status("T1:C1:1.0:m1:1") == ("delivered", "2.000100")
    finally:
        await storage.aclose()
        storage.close()
