"""Named locks: Redis (real server) across clients, process-local across threads and loops."""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from core.locks import LocalLocks, LockProvider, LockTimeout, RedisLocks, build_locks
from core.settings import Settings
from tests.support.servers import redis_url_or_fail


@pytest.fixture
async def redis_pair() -> AsyncIterator[list[RedisLocks]]:
    """Two processes' lock providers: separate clients, one key space."""
    url = redis_url_or_fail()
    prefix = f"hwtest:{secrets.token_hex(4)}:"
    clients = [aioredis.from_url(url), aioredis.from_url(url)]
    try:
        yield [RedisLocks(client, prefix) for client in clients]
    finally:
        for client in clients:
            await client.aclose()


async def _overlaps(providers: list[LockProvider], name: str, rounds: int = 5) -> int:
    """Runs critical sections from every provider at once; returns the most that were
    inside at the same time."""
    inside = most = 0

    async def worker(locks: LockProvider) -> None:
        nonlocal inside, most
        for _ in range(rounds):
            async with locks.lock(name, 5):
                inside += 1
                most = max(most, inside)
                await asyncio.sleep(0.005)
                inside -= 1

    await asyncio.gather(*(worker(p) for p in providers * 2))
    return most


async def test_redis_locks_exclude_across_clients(redis_pair: list[RedisLocks]) -> None:
    assert await _overlaps(list(redis_pair), "shared") == 1


async def test_redis_locks_time_out_and_expire(redis_pair: list[RedisLocks]) -> None:
    first, second = redis_pair
    async with first.lock("busy", 5):
        with pytest.raises(LockTimeout) as timed_out:
            async with second.lock("busy", 0.2):
                pass  # pragma: no cover - never entered
        assert timed_out.value.status == 503 and timed_out.value.details["lock"] == "busy"
        # Another name is independent.
        async with second.lock("other", 0.2):
            pass
    async with second.lock("busy", 0.5):
        pass
    # A holder that died frees the lock when its timeout runs out.
    abandoned = first.redis.lock(f"{first.prefix}lock:crashed", timeout=0.3)
    assert await abandoned.acquire()
    async with second.lock("crashed", 2):
        pass


async def test_a_lock_held_past_its_timeout_does_not_fail_the_holder(
    redis_pair: list[RedisLocks],
) -> None:
    first, second = redis_pair
    async with first.lock("slow", 0.2):
        await asyncio.sleep(0.4)
        async with second.lock("slow", 0.2):  # expired: the other worker may take it
            pass


async def test_local_locks_exclude_every_instance_in_the_process() -> None:
    assert await _overlaps([LocalLocks(), LocalLocks()], f"local-{secrets.token_hex(4)}") == 1


async def test_local_locks_exclude_another_thread_and_loop() -> None:
    name = f"threads-{secrets.token_hex(4)}"
    held, release = threading.Event(), threading.Event()

    def other_loop() -> None:
        async def hold() -> None:
            async with LocalLocks().lock(name, 5):
                held.set()
                await asyncio.to_thread(release.wait, 5)

        asyncio.run(hold())

    thread = threading.Thread(target=other_loop)
    thread.start()
    try:
        assert await asyncio.to_thread(held.wait, 5)
        with pytest.raises(LockTimeout):
            async with LocalLocks().lock(name, 0.1):
                pass  # pragma: no cover - never entered
    finally:
        release.set()
        await asyncio.to_thread(thread.join, 5)
    async with LocalLocks().lock(name, 0.5):
        pass


async def test_a_cancelled_waiter_leaves_the_lock_free() -> None:
    name = f"cancel-{secrets.token_hex(4)}"
    locks = LocalLocks()
    async with locks.lock(name, 5):
        waiter = asyncio.create_task(locks.lock(name, 5).__aenter__())
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    async with locks.lock(name, 0.2):
        pass


def test_build_locks_picks_redis_when_there_is_a_client() -> None:
    settings = Settings(redis_prefix="p:")
    assert isinstance(build_locks(settings, None), LocalLocks)
    built = build_locks(settings, object())
    assert isinstance(built, RedisLocks) and built.prefix == "p:"
