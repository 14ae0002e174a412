"""Periodic clean-up in every API process: expired idempotency records, whatever is past
its retention (usage logs, events, delivery attempts, finished jobs, connection logs and
the provider event ids of inbound webhooks; see ``core.retention``).

Running it in several processes at once is harmless: each pass only deletes rows that are
already past their expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from core.database import Database
from core.idempotency.service import IdempotencyService
from core.retention.service import RetentionService

logger = logging.getLogger("hubwire.housekeeping")


class Housekeeper:
    def __init__(
        self,
        db: Database,
        idempotency: IdempotencyService,
        *,
        interval_seconds: float,
        retention: RetentionService,
    ) -> None:
        self.db = db
        self.idempotency = idempotency
        self.interval_seconds = interval_seconds
        self.retention = retention
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> dict[str, int]:
        purged = await self.idempotency.purge_expired()
        return {"idempotencyRecords": purged, **await self.retention.purge()}

    async def start(self) -> None:
        if self._task is None and self.interval_seconds > 0:
            self._task = asyncio.create_task(self._loop(), name="housekeeping")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval_seconds)
            try:
                removed = await self.run_once()
                if any(removed.values()):
                    logger.info("housekeeping removed %s", removed)
            except Exception:
                logger.exception("housekeeping failed; will retry")
