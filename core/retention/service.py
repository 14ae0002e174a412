"""Retention: drops what grows without bound once it is older than the configured days.

Each batch is its own short transaction (at most ``batch_size`` rows), so a first run over
years of history never holds long locks or one huge transaction; a pass goes on until a
batch comes back short. Several processes running it at once only share the work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.database import Database, utcnow
from core.retention.repository import RetentionRepository

# HubSpot retries a batch for about 17 hours (10 retries, 2^n minutes apart), Stripe for 3
# days: an inbound event id older than a week will not come again (whatever ``days`` is).
INBOUND_EVENT_RETENTION = timedelta(days=7)

# A repository method that deletes one batch: (repository, *args, limit) -> rows deleted.
Batch = Callable[..., Awaitable[int]]


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    days: int  # events, delivery attempts, finished jobs, connection logs; 0 keeps all
    usage_days: int  # usage logs; 0 keeps all
    batch_size: int = 1000


class RetentionService:
    def __init__(self, db: Database, policy: RetentionPolicy) -> None:
        self.db = db
        self.policy = policy

    async def _drain(self, batch: Batch, *args: Any) -> int:
        total = 0
        while True:
            async with self.db.session() as session:
                deleted = await batch(RetentionRepository(session), *args, self.policy.batch_size)
            total += deleted
            if deleted < self.policy.batch_size:
                return total

    async def purge(self, now: datetime | None = None) -> dict[str, int]:
        now = now or utcnow()
        repo = RetentionRepository
        removed = {"events": 0, "deliveryAttempts": 0, "jobs": 0, "connectionLogs": 0}
        removed["usageLogs"] = 0
        removed["inboundEventIds"] = await self._drain(
            repo.inbound_event_ids, now - INBOUND_EVENT_RETENTION
        )
        if self.policy.usage_days > 0:
            usage_cutoff = now - timedelta(days=self.policy.usage_days)
            removed["usageLogs"] = await self._drain(repo.usage_logs, usage_cutoff)
        if self.policy.days <= 0:
            return removed
        cutoff = now - timedelta(days=self.policy.days)
        async with self.db.session() as session:
            workspace_ids = await repo(session).workspace_ids()
            connection_ids = await repo(session).connection_ids()
        # Per workspace and per connection, so each batch walks an existing composite index.
        for workspace_id in workspace_ids:
            removed["events"] += await self._drain(repo.events, workspace_id, cutoff)
        removed["deliveryAttempts"] = await self._drain(repo.delivery_attempts, cutoff)
        removed["jobs"] = await self._drain(repo.jobs, cutoff)
        for connection_id in connection_ids:
            removed["connectionLogs"] += await self._drain(
                repo.connection_logs, connection_id, cutoff
            )
        return removed
