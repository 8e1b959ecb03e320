"""Three ``baton run --http`` instances on one PostgreSQL database behind a round-robin
proxy: 10,000 events over 500 conversations, redeliveries and transfers among them, one
instance SIGKILLed mid-run and restarted. Nothing lost or doubled; each conversation's
answers in the order its messages were sent; every transfer completed."""

from __future__ import annotations

import asyncio
import random
import socket
from collections import Counter

import pytest

from adapter.storage import open_storage
from tests.backends import SERVER, SKIP_REASON, postgres_schema
from tests.faults.crash_harness import Baton, Sender, Workspace, mention, new_secret, reply

from .proxy import RoundRobin

CONVERSATIONS = 500
MESSAGES = 20  # per conversation: 10,000 events in all
INSTANCES = 3
pytestmark = pytest.mark.skipif(not SERVER, reason=SKIP_REASON)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expected(index: int) -> list[str]:
    """What conversation ``index`` must be answered, in order."""
    if index % 2 == 0:
        return [f"Helpdesk: plain {index} {j}" for j in range(MESSAGES)]
    return ["Passing you to Travel.", f"Travel: transfer {index}",
            *[f"Travel: more {index} {j}" for j in range(1, MESSAGES)]]


def said(index: int, j: int) -> str:
    if index % 2 == 0:
        return f"plain {index} {j}"
    return f"transfer {index}" if j == 0 else f"more {index} {j}"


@pytest.mark.timeout(900)
async def test_three_instances_ten_thousand_events_one_killed() -> None:
    rng = random.Random(7)
    with postgres_schema() as database:
        workspace = Workspace(rng)
        workspace.latency = (0.0, 0.002)
        api_url = await workspace.start()
        secret = new_secret()
        instances = [Baton(api_url, database, secret, free_port(), instance=f"i{n}")
                     for n in range(INSTANCES)]
        await asyncio.gather(*(b.start() for b in instances))
        proxy = RoundRobin([b.url for b in instances])
        url = await proxy.start()
        sender = Sender(secret)
        roots = [(f"C{index:03d}", workspace.api.clock.ts()) for index in range(CONVERSATIONS)]
        sent = Counter()
        gate = asyncio.Semaphore(100)
        halfway = asyncio.Event()

        async def talk(index: int) -> None:
            channel, root = roots[index]
            for j in range(MESSAGES):
                ts = root if j == 0 else workspace.api.clock.ts()
                event = mention(channel, ts, said(index, j)) if j == 0 else \
                    reply(channel, ts, root, said(index, j))
                event_id = f"Ev{index}m{j}"
                async with gate:
                    await sender.deliver(url, event, event_id)
                    if rng.random() < 0.05:  # Slack sends some twice
                        await sender.deliver(url, event, event_id, retry=1)
                        sent["redeliveries"] += 1
                sent["events"] += 1
                if sent["events"] == CONVERSATIONS * MESSAGES * 2 // 5:
                    halfway.set()

        talking = asyncio.gather(*(talk(i) for i in range(CONVERSATIONS)))
        await halfway.wait()
        await instances[1].kill()  # mid-run, with entries leased and posts on their way
        await instances[1].start()  # the same instance name: it takes its leases back
        await talking
        await sender.redeliver(url)  # whatever got no 200 while it was down
        done = await workspace.until(lambda: all(
            len(workspace.answers(*roots[i])) >= len(expected(i))
            for i in range(CONVERSATIONS)), 600)
        for baton in instances:
            await baton.stop()
        await proxy.stop()
        await sender.close()
        await workspace.stop()
        lost = doubled = disordered = 0
        for index in range(CONVERSATIONS):
            answers = workspace.answers(*roots[index])
            texts = [m.text for m in answers]
            ids = [(m.metadata or {})["event_payload"]["reply_id"] for m in answers]
            doubled += len(ids) - len(set(ids)) + max(0, len(texts) - len(expected(index)))
            lost += len([t for t in expected(index) if t not in texts])
            disordered += texts != expected(index) and sorted(texts) == sorted(expected(index))
        storage = open_storage(database)
        ledger = await storage.transfers()
        pending = await storage.inbox("pending")
        await storage.aclose()
    unfinished = [row for row in ledger if row.status != "completed"
                  and not (row.status == "failed" and row.reason)]
    print("instances:", dict(sent), "handled per instance:", proxy.sent)
    assert done
    assert (lost, doubled, disordered, len(unfinished), len(pending)) == (0, 0, 0, 0, 0)
    assert len(ledger) == CONVERSATIONS // 2
    assert sent["events"] == CONVERSATIONS * MESSAGES and sent["redeliveries"] > 0
