"""Turns at an instance's PostgreSQL connections: urgent statements (a finish, which frees
a conversation another instance may wait on) go before the rest; nothing leaks when a
waiter gives up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from adapter.storage.postgres.turns import NORMAL, URGENT, Turns


async def _queued(turns: Turns, count: int) -> None:
    """Let the waiters just created reach the line (each needs one step of the loop)."""
    while turns.queued < count:
        await asyncio.sleep(0)


def _asker(turns: Turns, served: list[str]) -> Callable[..., Awaitable[None]]:
    """A request for a turn that notes its name in ``served`` once it has one."""
    async def wants(name: str, priority: int = NORMAL) -> None:
        async with turns.turn(priority):
            served.append(name)
    return wants


async def test_an_urgent_request_goes_before_those_that_came_earlier() -> None:
    turns = Turns(1)
    served: list[str] = []
    wants = _asker(turns, served)

    async with turns.turn():  # the one connection is busy
        waiting = [asyncio.create_task(wants("lookup", NORMAL)),
                   asyncio.create_task(wants("claim", NORMAL)),
                   asyncio.create_task(wants("finish", URGENT))]
        await _queued(turns, 3)
    await asyncio.gather(*waiting)
    assert served == ["finish", "lookup", "claim"]
    assert turns.queued == 3


async def test_no_more_holders_than_turns() -> None:
    turns = Turns(2)
    holding, most = 0, 0

    async def hold() -> None:
        nonlocal holding, most
        async with turns.turn():
            holding += 1
            most = max(most, holding)
            await asyncio.sleep(0)
            holding -= 1

    await asyncio.gather(*(hold() for _ in range(10)))
    assert most == 2


async def test_a_waiter_that_gives_up_leaves_its_turn_to_the_next() -> None:
    turns = Turns(1)
    served: list[str] = []
    wants = _asker(turns, served)

    async with turns.turn():
        quitter = asyncio.create_task(wants("quitter"))
        await _queued(turns, 1)
        quitter.cancel()
        after = asyncio.create_task(wants("after"))
        await _queued(turns, 2)
    await after
    assert served == ["after"]
    assert quitter.cancelled()
    async with turns.turn():  # the turn came back: no wait now
        assert turns.queued == 2


async def test_a_waiter_cancelled_as_its_turn_comes_passes_it_on() -> None:
    turns = Turns(1)
    served: list[str] = []
    wants = _asker(turns, served)

    holder = turns.turn()
    await holder.__aenter__()
    first = asyncio.create_task(wants("first"))
    second = asyncio.create_task(wants("second"))
    await _queued(turns, 2)
    await holder.__aexit__(None, None, None)  # the turn is given to "first"...
    first.cancel()  # ...which is cancelled before it could run
    await second
    assert served == ["second"]
    assert first.cancelled()
    async with turns.turn():
        assert turns.queued == 2
