"""Who is syncing a connection right now: one holder at a time, and the others walk away.

Push work for a connection arrives as many ``PUSH_TASK`` messages (every fan-out batch
sends one). One worker at a time may push a connection (two would claim the same items
and create provider records twice), but a second worker must not *wait* for the first:
it would tie up a pool thread that webhooks and other connections need, and the holder
re-checks for work before it lets go anyway. ``core.locks.LockProvider`` waits (its
``timeout`` bounds both the wait and the hold), so the engine takes the same named lock
(``connections:{id}:sync``, the same Redis key ``RedisLocks`` would use) without waiting,
and renews it while it works: a long push under a slow rate limit keeps it, and a worker
that dies frees it after ``ttl`` seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# How long a lease outlives a worker that died holding it (renewed every third of it).
LEASE_TTL_SECONDS = 60.0


def lease_name(connection_id: str) -> str:
    return f"connections:{connection_id}:sync"


class Leases(Protocol):
    def hold(self, connection_id: str) -> AbstractAsyncContextManager[bool]:
        """Yields True while this caller holds the connection's sync lease, False (at once)
        when someone else does."""

    async def want_pull(self, connection_id: str) -> None:
        """Notes that a pull was asked for while another worker held the lease."""

    async def take_pull_wanted(self, connection_id: str) -> bool:
        """Whether a pull was asked for since the last call (and forgets it): the holder
        asks before letting go, so a pull request that found the lease taken is not lost."""


class RedisLeases:
    """redis-py's asyncio ``Lock`` on ``{prefix}lock:connections:{id}:sync``, acquired
    without blocking and renewed in the background while held."""

    def __init__(self, redis: Any, prefix: str, ttl: float = LEASE_TTL_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl

    @asynccontextmanager
    async def _hold(self, connection_id: str) -> AsyncIterator[bool]:
        from redis.exceptions import LockError

        lock = self.redis.lock(
            f"{self.prefix}lock:{lease_name(connection_id)}", timeout=self.ttl, blocking=False
        )
        if not await lock.acquire():
            yield False
            return

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.ttl / 3)
                try:
                    await lock.reacquire()
                except LockError:
                    logger.warning("lost the sync lease of %s", connection_id)
                    return
                except Exception:
                    logger.warning("renewing the sync lease failed", exc_info=True)

        renewer = asyncio.create_task(renew())
        try:
            yield True
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            try:
                await lock.release()
            except LockError:
                logger.warning("the sync lease of %s expired before release", connection_id)

    def hold(self, connection_id: str) -> AbstractAsyncContextManager[bool]:
        return self._hold(connection_id)

    def _wanted_key(self, connection_id: str) -> str:
        return f"{self.prefix}sync:pull-wanted:{connection_id}"

    async def want_pull(self, connection_id: str) -> None:
        await self.redis.set(self._wanted_key(connection_id), b"1", ex=3600)

    async def take_pull_wanted(self, connection_id: str) -> bool:
        return bool(await self.redis.getdel(self._wanted_key(connection_id)))


# Embedded mode has one process; every runtime in it (the app's worker, the CLI, a second
# test worker) shares these.
_LOCAL_GUARD = threading.Lock()
# Connection id -> when it was taken (time.monotonic()) and the task that holds it.
_LOCAL_HELD: dict[str, tuple[float, asyncio.Task[Any] | None]] = {}
_LOCAL_PULL_WANTED: set[str] = set()


def local_holders() -> list[str]:
    """Who holds the embedded mode's leases now: each connection, for how long, and where
    its holder's task is (a test that waited too long for a lease reports this)."""
    with _LOCAL_GUARD:
        held = list(_LOCAL_HELD.items())
    lines = []
    now = time.monotonic()
    for connection_id, (since, task) in held:
        where = "no task"
        if task is not None:
            frames = task.get_stack(limit=12)
            where = f"{task.get_name()} ({'done' if task.done() else 'running'}) at " + " <- ".join(
                f"{f.f_code.co_filename.rsplit('/', 2)[-1]}:{f.f_lineno} {f.f_code.co_name}"
                for f in reversed(frames)
            )
        lines.append(f"{connection_id} held {now - since:.0f} s by {where}")
    return lines


class LocalLeases:
    """Process-wide leases for embedded mode (no Redis)."""

    @asynccontextmanager
    async def _hold(self, connection_id: str) -> AsyncIterator[bool]:
        with _LOCAL_GUARD:
            if connection_id in _LOCAL_HELD:
                taken = False
            else:
                _LOCAL_HELD[connection_id] = (time.monotonic(), asyncio.current_task())
                taken = True
        if not taken:
            yield False
            return
        try:
            yield True
        finally:
            with _LOCAL_GUARD:
                _LOCAL_HELD.pop(connection_id, None)

    def hold(self, connection_id: str) -> AbstractAsyncContextManager[bool]:
        return self._hold(connection_id)

    async def want_pull(self, connection_id: str) -> None:
        with _LOCAL_GUARD:
            _LOCAL_PULL_WANTED.add(connection_id)

    async def take_pull_wanted(self, connection_id: str) -> bool:
        with _LOCAL_GUARD:
            wanted = connection_id in _LOCAL_PULL_WANTED
            _LOCAL_PULL_WANTED.discard(connection_id)
            return wanted


def build_leases(redis: Any | None, prefix: str, ttl: float = LEASE_TTL_SECONDS) -> Leases:
    return RedisLeases(redis, prefix, ttl) if redis is not None else LocalLeases()
