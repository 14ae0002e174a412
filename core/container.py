"""The long-lived services of one process, built once by the app factory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.auth.service import Authenticator
from core.database import Database
from core.housekeeping import Housekeeper
from core.idempotency.service import IdempotencyService
from core.ratelimit.limiter import Limiter, MemoryLimiter, RedisLimiter
from core.settings import Settings
from core.usage.recorder import UsageRecorder


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

    @classmethod
    def build(cls, settings: Settings) -> Services:
        db = Database(settings.database_url)
        redis_client: Any | None = None
        limiter: Limiter
        if settings.redis_url:
            import redis.asyncio as aioredis

            redis_client = aioredis.from_url(settings.redis_url)
            limiter = RedisLimiter(redis_client, settings.redis_prefix)
        else:
            limiter = MemoryLimiter()
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
                usage_retention_days=settings.usage_retention_days,
            ),
            redis=redis_client,
        )

    async def start(self) -> None:
        if self.settings.usage_tracking_enabled:
            await self.usage.start()
        await self.housekeeper.start()

    async def close(self) -> None:
        await self.housekeeper.stop()
        await self.usage.stop()
        await self.limiter.close()
        await self.db.dispose()
