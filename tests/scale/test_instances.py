"""Three ``baton run --http`` instances on one PostgreSQL database behind a round-robin
proxy: 10,000 events over 500 conversations, redeliveries and transfers among them, one
instance SIGKILLed mid-run and restarted. Nothing lost or doubled; each conversation's
answers in the order its messages were sent; every transfer completed."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

from tests.backends import SERVER, SKIP_REASON, postgres_schema
from tests.faults.crash_harness import Baton, Sender, Workspace, new_secret

from .proxy import RoundRobin
from .traffic import Traffic, free_port, unfinished_work

CONVERSATIONS = 500
MESSAGES = 20  # per conversation: 10,000 events in all
INSTANCES = 3
pytestmark = pytest.mark.skipif(not SERVER, reason=SKIP_REASON)


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
        traffic = Traffic(workspace, CONVERSATIONS, MESSAGES)
        sent = Counter()
        gate = asyncio.Semaphore(100)
        halfway = asyncio.Event()

        async def talk(index: int) -> None:
            for j in range(MESSAGES):
                event_id, event = traffic.event(index, j)
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
        done = await traffic.all_answered(600)
        for baton in instances:
            await baton.stop()
        await proxy.stop()
        await sender.close()
        await workspace.stop()
        transfers, unfinished, pending = await unfinished_work(database)
    print("instances:", dict(sent), "handled per instance:", proxy.sent)
    assert done
    assert traffic.faults() == (0, 0, 0)  # lost, doubled, disordered
    assert (transfers, unfinished, pending) == (CONVERSATIONS // 2, [], 0)
    assert sent["events"] == CONVERSATIONS * MESSAGES and sent["redeliveries"] > 0
