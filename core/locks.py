"""Named locks shared by every worker: Redis in production, process-local in embedded mode.

A lock guards work that must happen once even when several workers want it at the same
moment (refreshing a connection's single-use OAuth refresh token). ``timeout`` bounds both
the wait for the lock and how long it is held: a holder that dies frees it when the timeout
runs out, so work under a lock must finish well within it."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from core.errors import ServiceUnavailable
from core.settings import Settings

logger = logging.getLogger(__name__)

# How often a process-local lock is tried again while another holder has it.
_LOCAL_POLL_SECONDS = 0.01


class LockTimeout(ServiceUnavailable):
    """The lock stayed taken for the whole timeout (another worker is still at it)."""

    def __init__(self, name: str, timeout: float) -> None:
        super().__init__(
            "The resource is busy with concurrent work; retry shortly.",
            details={"lock": name, "timeoutSeconds": timeout},
            headers={"Retry-After": "1"},
        )


class LockProvider(Protocol):
    def lock(self, name: str, timeout: float) -> AbstractAsyncContextManager[None]:
        """Holds the lock ``name`` for the ``async with`` block: waits at most ``timeout``
        seconds for it (else raises :class:`LockTimeout`) and keeps it at most as long."""


class RedisLocks:
    """redis-py's asyncio ``Lock`` (a token in a key with an expiry, released only by its
    owner), so workers on any number of machines exclude each other."""

    def __init__(self, redis_client: Any, prefix: str = "hw:") -> None:
        self.redis = redis_client
        self.prefix = prefix

    @asynccontextmanager
    async def _hold(self, name: str, seconds: float) -> AsyncIterator[None]:
        lock = self.redis.lock(
            f"{self.prefix}lock:{name}", timeout=seconds, blocking=True, blocking_timeout=seconds
        )
        if not await lock.acquire():
            raise LockTimeout(name, seconds)
        try:
            yield
        finally:
            from redis.exceptions import LockError

            try:
                await lock.release()
            except LockError:
                # Held past its timeout: the key expired and maybe another worker has it now.
                logger.warning("lock %s expired before it was released", name)

    def lock(self, name: str, timeout: float) -> AbstractAsyncContextManager[None]:
        return self._hold(name, timeout)


# One lock per name for the whole process: the API's LocalLocks and the embedded worker's
# (another instance, on another thread's loop) must exclude each other.
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_GUARD = threading.Lock()


class LocalLocks:
    """Locks inside one process (embedded mode), shared by every instance in the process.
    Thread locks, polled from async code, so the API's event loop and the embedded worker's
    loop (another thread) exclude each other too; a cancelled waiter never ends up holding a
    lock it cannot release."""

    @staticmethod
    def _named(name: str) -> threading.Lock:
        with _PROCESS_GUARD:
            return _PROCESS_LOCKS.setdefault(name, threading.Lock())

    @asynccontextmanager
    async def _hold(self, name: str, seconds: float) -> AsyncIterator[None]:
        lock = self._named(name)
        deadline = time.monotonic() + seconds
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise LockTimeout(name, seconds)
            await asyncio.sleep(_LOCAL_POLL_SECONDS)
        try:
            yield
        finally:
            lock.release()

    def lock(self, name: str, timeout: float) -> AbstractAsyncContextManager[None]:
        return self._hold(name, timeout)


def build_locks(settings: Settings, redis_client: Any | None) -> LockProvider:
    """Redis locks when the process has Redis (production), else process-local ones."""
    if redis_client is not None:
        return RedisLocks(redis_client, settings.redis_prefix)
    return LocalLocks()
