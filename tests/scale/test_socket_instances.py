"""Two ``baton run`` instances in Socket Mode on one PostgreSQL database, sharing
FakeSlack's Socket Mode link as Slack spreads events over an app's connections: 4,000
events over 200 conversations, redeliveries and transfers among them, one instance
SIGKILLed mid-run (its unacked envelopes go again to the other) and restarted to take
its share of the last quarter. Nothing
lost or doubled; each conversation's answers in order; every transfer completed."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

from adapter.testing.payloads import event_callback
from tests.backends import SERVER, SKIP_REASON, postgres_schema
from tests.faults.crash_harness import Baton, Workspace, new_secret

from .traffic import Traffic, unfinished_work

CONVERSATIONS = 200
MESSAGES = 20  # per conversation: 4,000 events in all
INSTANCES = 2
pytestmark = pytest.mark.skipif(not SERVER, reason=SKIP_REASON)


@pytest.mark.timeout(900)
async def test_two_socket_mode_instances_share_the_link_one_killed() -> None:
    rng = random.Random(11)
    with postgres_schema() as database:
        workspace = Workspace(rng, socket_mode=True)
        workspace.latency = (0.0, 0.002)
        api_url = await workspace.start()
        link = workspace.link
        assert link is not None
        instances = [Baton(api_url, database, new_secret(), None, instance=f"s{n}")
                     for n in range(INSTANCES)]
        await asyncio.gather(*(b.start() for b in instances))
        await link.wait_for(INSTANCES)
        traffic = Traffic(workspace, CONVERSATIONS, MESSAGES)
        sent = Counter()
        gate = asyncio.Semaphore(100)
        halfway, restarted = asyncio.Event(), asyncio.Event()

        async def talk(index: int) -> None:
            for j in range(MESSAGES):
                if j == MESSAGES * 3 // 4:  # the last quarter once both are back
                    await restarted.wait()
                event_id, event = traffic.event(index, j)
                body = event_callback(event, event_id)
                async with gate:
                    await link.deliver(body, "application/json")
                    if rng.random() < 0.05:  # Slack sends some twice
                        await link.deliver(body, "application/json")
                        sent["redeliveries"] += 1
                sent["events"] += 1
                if sent["events"] == CONVERSATIONS * MESSAGES * 2 // 5:
                    halfway.set()

        talking = asyncio.gather(*(talk(i) for i in range(CONVERSATIONS)))
        await halfway.wait()
        await instances[0].kill()  # envelopes on their way to it get no ack: sent again
        await instances[0].start()
        restarted.set()
        await talking
        done = await traffic.all_answered(600)
        acked = list(link.acked)
        for baton in instances:
            await baton.stop()
        await workspace.stop()
        transfers, unfinished, pending = await unfinished_work(database)
    print("socket mode:", dict(sent), "acked per connection:", acked)
    assert done
    assert traffic.faults() == (0, 0, 0)  # lost, doubled, disordered
    assert (transfers, unfinished, pending) == (CONVERSATIONS // 2, [], 0)
    assert sent["events"] == CONVERSATIONS * MESSAGES and sent["redeliveries"] > 0
    assert len(acked) == INSTANCES + 1 and all(acked)  # both shared it; the restart too
