"""What a worker process holds: its settings, database, secret box and one event loop.

Celery runs tasks in pool threads (or the main thread); the async code they call runs on
one long-lived loop in a background thread, so connection pools (asyncpg, HTTP) live on
the loop that made them and are reused by every task of the process."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from core.connections.credentials import CredentialVault
from core.crypto import SecretBox, build_secret_box
from core.database import Database
from core.events.catalog import EventCatalog, load_event_catalog
from core.locks import LockProvider, build_locks
from core.redis_client import connect_redis
from core.settings import Settings
from core.tasks import TaskQueue
from sync.budget import Budgets
from sync.engine import SyncDeps
from sync.engine.lease import build_leases

T = TypeVar("T")

# Garbage-collector thresholds while a worker runtime lives (CPython's default: 700, 10, 10).
GC_THRESHOLDS = (10_000, 10, 10)


class _GcTuning:
    """While a worker runtime lives in the process, the cyclic garbage collector is tuned
    for the delivery engine's load.

    Every webhook message creates container objects (request and answer, job,
    outcome) that live for a few loop iterations; at default thresholds many survive into
    the oldest generation, so full collections ran every second or two and, in a worker
    process holding ~200,000 long-lived objects (SQLAlchemy, Celery, pydantic), each one
    stopped the loop for 130-400 ms (measured at 1,500 deliveries/s). So what exists when
    the first runtime starts is frozen (``gc.freeze``: full collections skip it) and the
    collector runs less often. In ``hubwire serve``'s embedded mode the API shares the
    process and gets the same (start-up objects frozen suits a server too). Undone when
    the last runtime of the process closes."""

    runtimes = 0
    saved: tuple[int, int, int] | None = None

    @classmethod
    def started(cls) -> None:
        cls.runtimes += 1
        if cls.runtimes == 1:
            cls.saved = gc.get_threshold()
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)

    @classmethod
    def closed(cls) -> None:
        cls.runtimes -= 1
        if cls.runtimes == 0 and cls.saved is not None:
            gc.unfreeze()
            gc.set_threshold(*cls.saved)
            cls.saved = None


class WorkerRuntime:
    def __init__(self, settings: Settings, task_queue: TaskQueue | None) -> None:
        self.settings = settings
        self.db = Database(settings.database_url)
        self.db.attach_task_queue(task_queue)
        self.secrets: SecretBox = build_secret_box(settings)
        self.catalog: EventCatalog = load_event_catalog()
        # Long-lived objects tasks share on this loop (the webhook sender's HTTP session).
        self.resources: dict[str, Any] = {}
        # Redis (production): locks, the sync leases and the provider budgets every worker
        # shares. Made here, used only on this runtime's loop.
        self.redis: Any | None = connect_redis(settings)
        self.locks: LockProvider = build_locks(settings, self.redis)
        self._sync: SyncDeps | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="hubwire-worker-loop", daemon=True
        )
        self._thread.start()
        _GcTuning.started()

    def run(self, work: Callable[[WorkerRuntime], Awaitable[T]], timeout: float | None = None) -> T:
        """Runs ``work(self)`` on the runtime's loop and waits for its result."""

        async def call() -> T:
            return await work(self)

        future: Future[T] = asyncio.run_coroutine_threadsafe(call(), self._loop)
        return future.result(timeout)

    def post(self, poke: Callable[[WorkerRuntime], None]) -> None:
        """Schedules ``poke(self)`` on the runtime's loop and returns at once: for tasks that
        only poke a long-lived part of the process (the outbox relay, the delivery engine),
        so their Celery thread does not wait for the loop to get round to it (``run``'s
        future, a cross-thread wake-up each way). The loop logs an error it raises."""
        self._loop.call_soon_threadsafe(poke, self)

    @property
    def sync(self) -> SyncDeps:
        """The sync engine's dependencies: one credential vault, one set of leases and
        budgets per process, so every sync task of the process shares them."""
        if self._sync is None:
            self._sync = build_sync_deps(
                self.db, self.settings, self.secrets, self.locks, self.redis
            )
        return self._sync

    def close(self) -> None:
        async def shutdown() -> None:
            for resource in self.resources.values():
                close = getattr(resource, "close", None)
                if close is not None:
                    await close()
            if self.redis is not None:
                await self.redis.aclose()
            await self.db.dispose()

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            _GcTuning.closed()


def build_sync_deps(
    db: Database, settings: Settings, secrets: SecretBox, locks: LockProvider, redis: Any | None
) -> SyncDeps:
    """The engine's dependencies for one process (workers and ``hubwire sync run``)."""
    return SyncDeps(
        db=db,
        settings=settings,
        vault=CredentialVault(db, secrets, settings, locks),
        leases=build_leases(redis, settings.redis_prefix, settings.sync_lease_seconds),
        budgets=Budgets(redis, settings.redis_prefix),
    )
