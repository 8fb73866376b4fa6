"""Conversation locks in Redis: one turn at a time per conversation across servers, woken on release.

Needs the Redis server of the test machine (127.0.0.1:6379, or TEST_REDIS_URL);
uses database 15 and a key prefix of its own.
"""
from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.stores import locks
from bot.stores.locks import AsyncRedisLockStore

REDIS_URL = redis.connection.parse_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))


@pytest.fixture
def endpoint():
    try:
        redis.Redis(**REDIS_URL).ping()
    except redis.RedisError as exc:  # pragma: no cover - environment problem, reported clearly
        pytest.fail(f"Redis is required for the lock store tests ({REDIS_URL}): {exc}")
    return EndpointConfig(url=REDIS_URL.get("host", "127.0.0.1"), type="bot.stores.locks.AsyncRedisLockStore",
                          port=REDIS_URL.get("port", 6379), db=REDIS_URL.get("db", 15),
                          key_prefix=f"test-{uuid.uuid4().hex[:8]}:")


def test_rasa_builds_it_from_the_endpoint_config(endpoint):
    assert isinstance(LockStore.create(endpoint), AsyncRedisLockStore)


def test_turns_of_one_conversation_on_two_servers_run_one_after_the_other(endpoint):
    async def run():
        servers = [LockStore.create(endpoint), LockStore.create(endpoint)]  # two replicas, one Redis
        timeline = []

        async def turn(server, name, conversation):
            async with server.lock(conversation):
                timeline.append(("start", name))
                await asyncio.sleep(0.05)
                timeline.append(("end", name))

        await asyncio.gather(*(turn(servers[i % 2], f"t{i}", "citizen-1") for i in range(6)))
        return timeline

    timeline = asyncio.run(run())
    assert len(timeline) == 12
    for start, end in zip(timeline[::2], timeline[1::2]):  # never two turns inside at once
        assert start[0] == "start" and end == ("end", start[1])


def test_a_waiting_turn_is_woken_by_the_release_not_by_a_timer(endpoint, monkeypatch):
    """The fault: Rasa's Redis lock looks again only after a whole second (here: 30 s)."""
    monkeypatch.setattr(locks, "RECHECK_SECONDS", 30.0)

    async def run():
        first, second = LockStore.create(endpoint), LockStore.create(endpoint)
        holding = asyncio.Event()

        async def hold():
            async with first.lock("citizen-2", wait_time_in_seconds=30):
                holding.set()
                await asyncio.sleep(0.2)

        async def wait():
            await holding.wait()
            started = time.monotonic()
            async with second.lock("citizen-2", wait_time_in_seconds=30):
                return time.monotonic() - started

        return (await asyncio.gather(hold(), wait()))[1]

    assert asyncio.run(run()) < 5.0


def test_a_lock_left_by_a_dead_server_expires_and_redis_down_is_a_lock_error(endpoint):
    async def run():
        store = LockStore.create(endpoint)
        await store.red.set(store.key_prefix + "citizen-3", "dead-server", px=300)  # its holder crashed
        async with store.lock("citizen-3", lock_lifetime=5):
            pass
        with pytest.raises(LockError):
            async with store.lock("citizen-3", lock_lifetime=10):
                async with store.lock("citizen-3", lock_lifetime=0.5):
                    pass
        down = AsyncRedisLockStore(host="127.0.0.1", port=1)
        with pytest.raises(LockError):
            async with down.lock("citizen-4"):
                pass

    asyncio.run(run())


def test_a_turn_longer_than_the_lease_keeps_its_lock(endpoint, monkeypatch):
    """The lease is short so that a dead replica frees its conversations soon; a live one renews it."""
    monkeypatch.setattr(locks, "LEASE_SECONDS", 0.3)

    async def run():
        first, second = LockStore.create(endpoint), LockStore.create(endpoint)
        order = []
        holding = asyncio.Event()

        async def long_turn():
            async with first.lock("citizen-5"):
                holding.set()
                await asyncio.sleep(1.0)  # more than three leases
                order.append("long turn done")

        async def next_turn():
            await holding.wait()
            async with second.lock("citizen-5"):
                order.append("next turn in")

        await asyncio.gather(long_turn(), next_turn())
        return order

    assert asyncio.run(run()) == ["long turn done", "next turn in"]
