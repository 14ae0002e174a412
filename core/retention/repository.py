"""The queries of retention: each picks at most one batch of expired rows by an index."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, exists, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.connections.models import Connection, InboundWebhookEvent, SyncLog
from core.events.models import Event
from core.jobs.models import Job
from core.usage.models import UsageLog
from core.webhooks.models import DeliveryAttempt
from core.workspaces.models import Workspace

# A job in one of these states is done; queued and running jobs are never dropped.
FINISHED_JOB_STATES = ("succeeded", "failed")


class RetentionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def workspace_ids(self) -> list[str]:
        return list((await self.session.scalars(select(Workspace.id))).all())

    async def connection_ids(self) -> list[str]:
        return list((await self.session.scalars(select(Connection.id))).all())

    async def _delete(self, model: Any, ids: Select[Any]) -> int:
        result = await self.session.execute(delete(model).where(model.id.in_(ids)))
        return int(getattr(result, "rowcount", 0))

    async def events(self, workspace_id: str, cutoff: datetime, limit: int) -> int:
        """Old events already fanned out (an undispatched one still owes its deliveries).
        Deliveries keep their own frozen payload, so nothing else needs the row."""
        ids = (
            select(Event.id)
            .where(
                Event.workspace_id == workspace_id,
                Event.occurred_at < cutoff,
                Event.dispatched_at.is_not(None),
            )
            .limit(limit)
        )
        return await self._delete(Event, ids)

    async def delivery_attempts(self, cutoff: datetime, limit: int) -> int:
        """Old attempts except each delivery's latest: the delivery row itself keeps its
        state (status, attempts, last status code and error) and is never dropped here."""
        later = aliased(DeliveryAttempt)
        ids = (
            select(DeliveryAttempt.id)
            .where(
                DeliveryAttempt.attempted_at < cutoff,
                exists().where(
                    later.delivery_id == DeliveryAttempt.delivery_id,
                    later.number > DeliveryAttempt.number,
                ),
            )
            .limit(limit)
        )
        return await self._delete(DeliveryAttempt, ids)

    async def jobs(self, cutoff: datetime, limit: int) -> int:
        ids = (
            select(Job.id)
            .where(Job.status.in_(FINISHED_JOB_STATES), Job.updated_at < cutoff)
            .limit(limit)
        )
        return await self._delete(Job, ids)

    async def connection_logs(self, connection_id: str, cutoff: datetime, limit: int) -> int:
        ids = (
            select(SyncLog.id)
            .where(SyncLog.connection_id == connection_id, SyncLog.created_at < cutoff)
            .limit(limit)
        )
        return await self._delete(SyncLog, ids)

    async def usage_logs(self, cutoff: datetime, limit: int) -> int:
        ids = select(UsageLog.id).where(UsageLog.timestamp < cutoff).limit(limit)
        return await self._delete(UsageLog, ids)

    async def inbound_event_ids(self, cutoff: datetime, limit: int) -> int:
        """Provider event ids received before ``cutoff``: no provider sends them again."""
        key = (
            InboundWebhookEvent.connector,
            InboundWebhookEvent.account_id,
            InboundWebhookEvent.event_id,
        )
        old = select(*key).where(InboundWebhookEvent.received_at < cutoff).limit(limit)
        result = await self.session.execute(
            delete(InboundWebhookEvent).where(tuple_(*key).in_(old))
        )
        return int(getattr(result, "rowcount", 0))
