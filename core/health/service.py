"""Checks the dependencies a request needs: the database, and Redis when configured."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from core import __version__
from core.container import Services
from core.database import utcnow
from core.health.schemas import Check, HealthChecks, HealthReport

logger = logging.getLogger("hubwire.health")

CHECK_TIMEOUT_SECONDS = 2.0


async def _timed(name: str, probe: Callable[[], Awaitable[Any]], seconds: float) -> Check:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(seconds):
            await probe()
    except TimeoutError:
        logger.warning("health check %s timed out after %.1fs", name, seconds)
        return Check(status="fail", error="timeout")
    except Exception:
        logger.warning("health check %s failed", name, exc_info=True)
        return Check(status="fail", error="unavailable")
    return Check(status="ok", latency_ms=round((time.perf_counter() - started) * 1000, 2))


class HealthService:
    def __init__(self, timeout: float = CHECK_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    async def check(self, services: Services) -> HealthReport:
        async def database() -> None:
            async with services.db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        redis_client = services.redis
        checks = [_timed("database", database, self.timeout)]
        if redis_client is not None:
            checks.append(_timed("redis", redis_client.ping, self.timeout))
        results = await asyncio.gather(*checks)
        db_check = results[0]
        redis_check = results[1] if redis_client is not None else Check(status="not_configured")
        failed = any(check.status == "fail" for check in results)
        return HealthReport(
            status="degraded" if failed else "ok",
            version=__version__,
            time=utcnow(),
            checks=HealthChecks(database=db_check, redis=redis_check),
        )


health = HealthService()
