"""The long-lived services of one process, built once by the app factory."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from core.auth.service import Authenticator
from core.connections.credentials import CredentialVault
from core.crypto import SecretBox, build_secret_box
from core.database import Database
from core.events.catalog import EventCatalog, load_event_catalog
from core.housekeeping import Housekeeper
from core.idempotency.service import IdempotencyService
from core.locks import LockProvider, build_locks
from core.metrics.service import MetricsService
from core.plugins.manager import plugin_manager
from core.ratelimit.limiter import Limiter, MemoryLimiter, RedisLimiter
from core.redis_client import connect_redis
from core.retention.service import RetentionPolicy, RetentionService
from core.settings import Settings
from core.tasks import TaskRuntime
from core.usage.recorder import UsageRecorder


class NoTaskRuntime(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "no task runtime is installed: the `sync` extension provides it "
            "(reinstall Hubwire with `pip install -e .` or `make install`)"
        )


def build_task_runtime(settings: Settings) -> TaskRuntime:
    """The process's background-task runtime, from the ``hubwire_task_runtime`` hook."""
    runtime: TaskRuntime | None = plugin_manager().hook.hubwire_task_runtime(settings=settings)
    if runtime is None:
        raise NoTaskRuntime()
    return runtime


@dataclass
class Services:
    settings: Settings
    db: Database
    authenticator: Authenticator
    limiter: Limiter
    usage: UsageRecorder
    idempotency: IdempotencyService
    housekeeper: Housekeeper
    redis: Any | None
    secrets: SecretBox
    event_catalog: EventCatalog
    tasks: TaskRuntime
    # Named locks (Redis in production) and the connections' credentials behind them.
    locks: LockProvider
    vault: CredentialVault
    metrics: MetricsService

    @classmethod
    def build(cls, settings: Settings) -> Services:
        db = Database(settings.database_url)
        tasks = build_task_runtime(settings)
        db.attach_task_queue(tasks.queue)
        redis_client = connect_redis(settings)
        limiter: Limiter
        if redis_client is not None:
            limiter = RedisLimiter(redis_client, settings.redis_prefix)
        else:
            limiter = MemoryLimiter()
        secrets = build_secret_box(settings)
        locks = build_locks(settings, redis_client)
        idempotency = IdempotencyService(
            db,
            ttl_hours=settings.idempotency_ttl_hours,
            lock_seconds=settings.idempotency_lock_seconds,
        )
        return cls(
            settings=settings,
            db=db,
            authenticator=Authenticator(db, cache_seconds=settings.auth_cache_seconds),
            limiter=limiter,
            usage=UsageRecorder(
                db,
                flush_seconds=settings.usage_flush_seconds,
                batch_size=settings.usage_flush_batch,
                max_buffered=settings.usage_buffer_max,
            ),
            idempotency=idempotency,
            housekeeper=Housekeeper(
                db,
                idempotency,
                interval_seconds=settings.housekeeping_interval_seconds,
                retention=RetentionService(
                    db,
                    RetentionPolicy(
                        days=settings.retention_days,
                        usage_days=settings.usage_retention_days,
                        batch_size=settings.retention_batch_size,
                    ),
                ),
            ),
            redis=redis_client,
            secrets=secrets,
            event_catalog=load_event_catalog(),
            tasks=tasks,
            locks=locks,
            vault=CredentialVault(db, secrets, settings, locks),
            metrics=MetricsService(db, cache_seconds=settings.metrics_cache_seconds),
        )

    async def start(self) -> None:
        if self.settings.usage_tracking_enabled:
            await self.usage.start()
        await self.housekeeper.start()
        # A blocking start (it waits for the consumer); off the event loop.
        await asyncio.to_thread(self.tasks.start)

    async def close(self) -> None:
        await asyncio.to_thread(self.tasks.stop)
        await self.housekeeper.stop()
        await self.usage.stop()
        await self.limiter.close()
        await self.db.dispose()
