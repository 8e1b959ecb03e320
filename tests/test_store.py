"""The context store: every call, every scope, TTLs, limits, bad input and isolation."""

from __future__ import annotations

import asyncio
import datetime
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapter import App, Persona, Store, StoreError, Turn
from adapter.storage import ContextBackend, Storage, open_storage
from adapter.storage.sqlite import open_database
from adapter.storage.sqlite.context import SqliteContext
from adapter.testing import FakeSlack, Reply


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def storage(db_path: Path | str, clock: Clock) -> AsyncIterator[Storage]:
    opened = open_storage(db_path, clock=clock, max_value_bytes=1024, max_keys=3)
    yield opened
    await opened.aclose()
    opened.close()


@pytest.fixture
def context(storage: Storage) -> ContextBackend:
    return storage.context


@pytest.fixture
async def store(context: ContextBackend) -> Store:
    unbound = Store(context)
    await unbound.register_namespace("trip")
    return unbound.bind(user="U1", conversation="T1:C1:1.0")


@pytest.mark.parametrize("scope", ["conversation", "user", "global"])
async def test_every_call_in_every_scope(store: Store, scope: str) -> None:
    assert await store.get("trip", "city", scope=scope) is None
    assert await store.get("trip", "city", scope=scope, default="?") == "?"
    await store.set("trip", "city", "Oslo", scope=scope)
    await store.set("trip", "dates", {"from": "2026-12-01", "nights": 3}, scope=scope)
    assert await store.get("trip", "city", scope=scope) == "Oslo"
    assert await store.all("trip", scope=scope) == {
        "city": "Oslo", "dates": {"from": "2026-12-01", "nights": 3}}
    await store.delete("trip", "city", scope=scope)
    assert await store.all("trip", scope=scope) == {"dates": {"from": "2026-12-01", "nights": 3}}
    await store.clear("trip", scope=scope)
    assert await store.all("trip", scope=scope) == {}


async def test_values_round_trip_as_json(store: Store) -> None:
    for value in ["Oslo", "", 42, 2.5, True, False, None, [1, "a", None], {"a": {"b": [1.5]}}]:
        await store.set("trip", "value", value)
        assert await store.get("trip", "value", default="missing") == value


async def test_registering_again_is_harmless_and_may_change_the_ttl(
    store: Store, context: ContextBackend, clock: Clock
) -> None:
    await store.register_namespace("trip")
    await store.set("trip", "city", "Oslo")
    await store.register_namespace("trip", ttl=60)
    assert context.namespaces() == {"trip": 60}
    assert await store.get("trip", "city") == "Oslo"  # earlier entries keep their expiry
    await store.set("trip", "hotel", "Grand")
    clock.advance(61)
    assert await store.all("trip") == {"city": "Oslo"}


async def test_deleting_a_namespace_deletes_its_data_everywhere(store: Store) -> None:
    await store.set("trip", "city", "Oslo", scope="user")
    await store.set("trip", "city", "Rome", scope="global")
    await store.delete_namespace("trip")
    with pytest.raises(StoreError, match="namespace 'trip' is not registered"):
        await store.get("trip", "city", scope="user")
    await store.register_namespace("trip")
    assert await store.get("trip", "city", scope="global") is None


async def test_namespace_ttl_and_per_key_ttl(store: Store, context: ContextBackend,
                                             clock: Clock) -> None:
    await store.register_namespace("session", ttl=100)
    await store.set("session", "step", "dates")
    await store.set("session", "otp", "1234", ttl=10)  # overrides the namespace's 100 s
    clock.advance(11)
    assert await store.all("session") == {"step": "dates"}
    assert await store.get("session", "otp") is None
    clock.advance(90)
    assert await store.get("session", "step") is None
    assert await context.purge_expired() == 2
    assert await context.purge_expired() == 0  # nothing left, expired or not


async def test_a_ttl_of_zero_means_forever(store: Store, clock: Clock) -> None:
    await store.register_namespace("profile", ttl=0)
    await store.set("profile", "name", "Ada")
    clock.advance(10 * 365 * 24 * 3600)
    assert await store.get("profile", "name") == "Ada"


async def test_incr_and_update(store: Store) -> None:
    assert await store.incr("trip", "views") == 1
    assert await store.incr("trip", "views", by=4) == 5
    assert await store.update("trip", "cities", lambda cities: cities + ["Oslo"], default=[]) \
        == ["Oslo"]
    assert await store.get("trip", "cities") == ["Oslo"]
    await store.set("trip", "city", "Oslo")
    with pytest.raises(StoreError, match="incr\\('trip', 'city'\\): the value is str 'Oslo'"):
        await store.incr("trip", "city")


async def test_an_update_that_raises_changes_nothing(store: Store) -> None:
    await store.set("trip", "nights", 2)

    def boom(nights: int) -> int:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        await store.update("trip", "nights", boom)
    assert await store.get("trip", "nights") == 2
    await store.set("trip", "nights", 3)  # and the connection is usable again


async def test_fifty_concurrent_writers_lose_no_update(store: Store) -> None:
    async def writer() -> None:
        for _ in range(20):
            await store.incr("trip", "count", scope="global")
            await store.update("trip", "tally", lambda t: {"n": t["n"] + 1}, scope="global",
                               default={"n": 0})

    await asyncio.gather(*(writer() for _ in range(50)))
    assert await store.get("trip", "count", scope="global") == 1000
    assert await store.get("trip", "tally", scope="global") == {"n": 1000}


async def test_two_instances_of_one_database_lose_no_update(db_path: Path | str) -> None:
    """Two app processes sharing a database, as two storages with their own connections
    (on SQLite, in two threads: its writes do not yield to the loop)."""
    if isinstance(db_path, Path):
        return await asyncio.to_thread(writers_on_two_connections_lose_no_update, db_path)
    storages = [open_storage(db_path) for _ in range(2)]
    shared = [Store(s.context) for s in storages]
    await shared[0].register_namespace("trip")
    await asyncio.gather(*(_incr_many(store, 40) for store in shared for _ in range(25)))
    assert await shared[1].get("trip", "count", scope="global") == 2 * 25 * 40
    for opened in storages:
        await opened.aclose()
        opened.close()


def writers_on_two_connections_lose_no_update(db_path: Path) -> None:
    stores = [SqliteContext(open_database(db_path)) for _ in range(2)]
    stores[0].declare({"trip": None})
    errors: list[BaseException] = []

    def run(context: ContextBackend) -> None:
        async def writers() -> None:
            shared = Store(context)
            await shared.register_namespace("trip")
            await asyncio.gather(*(_incr_many(shared, 40) for _ in range(25)))
        try:
            asyncio.run(writers())
        except BaseException as error:  # reported below, with the count
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = asyncio.run(Store(stores[0]).get("trip", "count", scope="global"))
    assert (errors, total) == ([], 2 * 25 * 40)
    for context in stores:
        context.close()


async def _incr_many(store: Store, times: int) -> None:
    for _ in range(times):
        await store.incr("trip", "count", scope="global")


@pytest.mark.parametrize(("value", "message"), [
    (datetime.date(2026, 12, 1), "value is a date, which the context store cannot keep"),
    ({"when": {1, 2}}, "value['when'] is a set, which the context store cannot keep"),
    ([1.0, float("nan")], "value[1] is nan; JSON has no NaN or infinity"),
    ({1: "a"}, "value has a int key 1; JSON object keys are strings"),
])
async def test_values_that_are_not_json_are_refused(store: Store, value: object,
                                                    message: str) -> None:
    with pytest.raises(StoreError, match=message.replace("[", "\\[").replace("(", "\\(")):
        await store.set("trip", "bad", value)
    assert await store.all("trip") == {}


@pytest.mark.parametrize(("call", "message"), [
    (lambda s: s.set("trip-plans", "k", 1),
     "namespace 'trip-plans' is not allowed: use 1-64 letters, digits or underscores"),
    (lambda s: s.set("trip", "city name", 1),
     "key 'city name' is not allowed: use 1-64 letters, digits or underscores"),
    (lambda s: s.register_namespace("x" * 65), "namespace 'xxxx"),
    (lambda s: s.register_namespace("baton"), "namespace 'baton' is reserved"),
    (lambda s: s.register_namespace("Global"), "namespace 'Global' is reserved"),
    (lambda s: s.register_namespace("ok", ttl=-5), "namespace 'ok': ttl=-5; give seconds >= 0"),
    (lambda s: s.get("plans", "city"),
     "namespace 'plans' is not registered: declare it with Persona\\(..., namespaces="),
    (lambda s: s.get("trip", "city", scope="team"),
     "scope 'team' is not one of 'conversation', 'user', 'global'"),
    (lambda s: s.set("trip", "city", "Oslo", ttl=0), "ttl=0: give seconds > 0"),
])
async def test_bad_names_and_arguments_are_refused(store: Store, call, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        await call(store)


async def test_value_size_and_key_count_limits(store: Store, clock: Clock) -> None:
    with pytest.raises(StoreError) as error:
        await store.set("trip", "notes", "x" * 1100)
    assert str(error.value) == ("value for trip.notes is 1,102 bytes; the limit is 1,024 "
                                "(App max_value_bytes=).")
    for key in ("a", "b", "c"):
        await store.set("trip", key, 1, ttl=5 if key == "a" else None)
    await store.set("trip", "b", 2)  # overwriting is not a new key
    with pytest.raises(StoreError) as error:
        await store.set("trip", "d", 1)
    assert str(error.value) == ("namespace 'trip' already holds 3 keys in this conversation "
                                "scope, the limit (App max_keys=); delete some or clear "
                                "the scope.")
    await store.set("trip", "d", 1, scope="user")  # another scope has its own count
    clock.advance(6)  # "a" expires, which frees a place
    await store.set("trip", "d", 1)
    assert await store.all("trip") == {"b": 2, "c": 1, "d": 1}


async def test_scopes_are_isolated(context: ContextBackend) -> None:
    root = Store(context)
    await root.register_namespace("trip")
    ada_here = root.bind(user="U_ADA", conversation="T:C:1")
    ada_there = root.bind(user="U_ADA", conversation="T:C:2")
    bob_here = root.bind(user="U_BOB", conversation="T:C:1")
    await ada_here.set("trip", "city", "Oslo")
    await ada_here.set("trip", "seat", "aisle", scope="user")
    assert await ada_there.get("trip", "city") is None
    assert await ada_there.get("trip", "seat", scope="user") == "aisle"
    assert await bob_here.get("trip", "city") == "Oslo"  # same conversation
    assert await bob_here.get("trip", "seat", scope="user") is None
    assert await bob_here.all("trip", scope="user") == {}


async def test_app_store_outside_a_dialog(context: ContextBackend) -> None:
    root = Store(context)
    await root.register_namespace("flags")
    await root.set("flags", "maintenance", True, scope="global")
    assert await root.get("flags", "maintenance", scope="global") is True
    with pytest.raises(StoreError, match="no conversation here: outside a dialog, use "
                                         "app.store.bind\\(conversation=...\\)"):
        await root.get("flags", "x")


async def test_data_stored_before_a_transfer_reaches_the_receiver(db_path: Path) -> None:
    travel = Persona("travel", skill="travel", display_name="Travel Desk",
                     namespaces={"trip": 24 * 3600})
    people = Persona("people", skill="hr", display_name="People Team",
                     namespaces={"trip": 24 * 3600})

    @travel.dialog(pattern="to *")
    async def destination(turn: Turn) -> None:
        await turn.store.set("trip", "city", turn.text[3:])
        await turn.say(f"{turn.text[3:]} it is. Anything else?")

    @travel.dialog(pattern="*visa*")
    async def visa(turn: Turn) -> None:
        await turn.transfer("hr", message=turn.text)

    @people.dialog(pattern="*visa*")
    async def visa_letter(turn: Turn) -> None:
        city = await turn.store.get("trip", "city")
        await turn.say(f"I'll prepare a visa invitation letter for {city}.")

    app = App(personas=[travel, people], entry="travel", db=db_path)
    async with FakeSlack(app) as slack:
        convo = slack.conversation()
        await convo.user_says("to Tokyo")
        await convo.user_says("do I need a visa?")
        assert convo.replies == [
            Reply("travel", "Tokyo it is. Anything else?"),
            Reply("people", "I'll prepare a visa invitation letter for Tokyo."),
        ]
    app.close()


def test_personas_must_agree_on_a_namespace_ttl(db_path: Path) -> None:
    from adapter import ConfigError

    a = Persona("a", namespaces={"trip": 60})
    b = Persona("b", namespaces={"trip": 120})
    with pytest.raises(ConfigError, match="namespace 'trip' has ttl 60 in persona 'a' but 120 "
                                          "in persona 'b'; give both the same TTL"):
        App(personas=[a, b], entry="a", db=db_path)
    with pytest.raises(ConfigError, match="persona 'c': namespace 'system' is reserved"):
        App(personas=[Persona("c", namespaces={"system": None})], entry="c", db=db_path)


async def test_maintenance_leaves_the_database_writable(store: Store, storage: Storage,
                                                        clock: Clock) -> None:
    """Maintenance (on SQLite: a checkpoint, then a purge, on the worker connection), then
    writes on the main one."""
    await store.set("trip", "city", "Oslo", ttl=1)
    await storage.maintain(purge=False)
    clock.advance(2)
    assert await storage.context.purge_expired() == 1
    await storage.maintain(purge=True)
    await store.set("trip", "city", "Rome")
    await store.incr("trip", "count")
    assert await store.all("trip") == {"city": "Rome", "count": 1}
