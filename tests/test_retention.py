"""What maintenance keeps and drops: done inbox entries (the dedup keys) and outbox rows
after a day, finished transfers after thirty; pending and parked entries, and transfers
still under way, never. Two instances purging at once drop each row once, and nothing else."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapter.storage import InboxEntry, LedgerRow, Storage, open_storage

DAY = 24 * 60 * 60


@pytest.fixture
async def instances(db_path: Path | str) -> AsyncIterator[tuple[Storage, Storage]]:
    one, two = open_storage(db_path), open_storage(db_path)
    yield one, two
    for storage in (one, two):
        await storage.aclose()
        storage.close()


def entry(key: str) -> InboxEntry:
    return InboxEntry(key, "message", "T1:C1:1.0", {"text": key}, ordinal=1.0)


def transfer(transfer_id: str, status: str) -> LedgerRow:
    now = time.time()
    return LedgerRow(transfer_id, "T1:C1:1.0", "router", "travel", "travel", None, "a trip",
                     status, None, "transfer", "message", None, now, now)


async def purge_from_both(instances: tuple[Storage, Storage], now: float) -> None:
    await asyncio.gather(*(s.maintain(purge=True, now=now) for s in instances))


async def test_two_instances_purge_only_what_is_past_its_time(
        instances: tuple[Storage, Storage]) -> None:
    storage = instances[0]
    for key in ("answered", "parked", "waiting"):
        assert await storage.admit(entry(key))
    await storage.finish(entry("answered"), None, 1.0)
    await storage.fail_attempt("parked", "DeliveryError: channel_not_found", park=True)
    await storage.mark_delivered([("answered:0", "T1:C1:1.0", "1.5")])
    await storage.record_transfer(transfer("tr-done", "completed"))
    await storage.record_transfer(transfer("tr-open", "started"))
    started = time.time()

    await purge_from_both(instances, now=started + 60)  # nothing is old yet
    assert [(e.key, e.status) for e in await storage.inbox()] == [
        ("answered", "done"), ("parked", "parked"), ("waiting", "pending")]

    await purge_from_both(instances, now=started + DAY + 60)
    assert [(e.key, e.status) for e in await storage.inbox()] == [
        ("parked", "parked"), ("waiting", "pending")]
    assert await storage.reply_status("answered:0") is None
    assert [(t.id, t.status) for t in await storage.transfers()] == [
        ("tr-done", "completed"), ("tr-open", "started")]

    await purge_from_both(instances, now=started + 30 * DAY + 60)
    assert [(t.id, t.status) for t in await storage.transfers()] == [("tr-open", "started")]
    sizes = await storage.table_sizes()
    assert {table: figures["rows"] for table, figures in sizes.items()
            if table in ("inbox", "outbox", "ledger")} == {"inbox": 2, "outbox": 0, "ledger": 1}
