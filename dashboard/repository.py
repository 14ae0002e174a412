"""The dashboard's read queries: the figures of the overview and the lists core's services
only expose per client (API keys, clients). Reads only; every change goes through a
service. API usage is read through core's usage service (core.usage.service)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.api_keys.repository import ApiKeyRepository
from core.connections.models import Connection
from core.events.models import Event
from core.jobs.models import Job
from core.webhooks.models import Delivery, Webhook

SYNC_JOB_TYPE = "connection.sync"


class DashboardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keys(self, workspace_id: str, limit: int = 200) -> Sequence[ApiKey]:
        stmt = ApiKeyRepository(self.session).in_workspace(workspace_id, {})
        stmt = stmt.order_by(ApiKey.created_at.desc(), ApiKey.id).limit(limit)
        return (await self.session.scalars(stmt)).all()

    async def clients(self, workspace_id: str) -> Sequence[ApiClient]:
        stmt = (
            select(ApiClient)
            .where(ApiClient.workspace_id == workspace_id)
            .order_by(ApiClient.name, ApiClient.id)
        )
        return (await self.session.scalars(stmt)).all()

    async def running_syncs(self, workspace_id: str) -> dict[str, Job]:
        """The newest unfinished sync job of each connection, by connection id."""
        stmt = (
            select(Job)
            .where(
                Job.workspace_id == workspace_id,
                Job.type == SYNC_JOB_TYPE,
                Job.status.in_(("queued", "running")),
            )
            .order_by(Job.created_at)
        )
        return {
            str(job.input.get("connectionId")): job
            for job in (await self.session.scalars(stmt)).all()
        }

    async def count_events(self, workspace_id: str, since: datetime) -> int:
        stmt = select(func.count()).where(
            Event.workspace_id == workspace_id, Event.occurred_at >= since
        )
        return int(await self.session.scalar(stmt) or 0)

    async def count_deliveries(self, workspace_id: str, since: datetime) -> dict[str, int]:
        stmt = (
            select(Delivery.status, func.count())
            .where(Delivery.workspace_id == workspace_id, Delivery.created_at >= since)
            .group_by(Delivery.status)
        )
        return {str(s): int(c) for s, c in (await self.session.execute(stmt)).all()}

    async def count_connections(self, workspace_id: str) -> dict[str, int]:
        """The workspace's connections by status."""
        stmt = (
            select(Connection.status, func.count())
            .where(Connection.workspace_id == workspace_id)
            .group_by(Connection.status)
        )
        return {str(s): int(c) for s, c in (await self.session.execute(stmt)).all()}

    async def count_running_syncs(self, workspace_id: str) -> int:
        return len(await self.running_syncs(workspace_id))

    async def disabled_webhooks(self, workspace_id: str, limit: int = 20) -> Sequence[Webhook]:
        """Subscriptions switched off, newest change first (the alerts of the overview)."""
        stmt = (
            select(Webhook)
            .where(Webhook.workspace_id == workspace_id, Webhook.active.is_(False))
            .order_by(Webhook.updated_at.desc(), Webhook.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def connections_in_error(
        self, workspace_id: str, limit: int = 20
    ) -> Sequence[Connection]:
        stmt = (
            select(Connection)
            .where(Connection.workspace_id == workspace_id, Connection.status == "error")
            .order_by(Connection.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def failed_jobs(
        self, workspace_id: str, since: datetime, limit: int = 20
    ) -> Sequence[Job]:
        """Jobs that failed since ``since`` (by when they finished, else when made)."""
        when = func.coalesce(Job.finished_at, Job.created_at)
        stmt = (
            select(Job)
            .where(Job.workspace_id == workspace_id, Job.status == "failed", when >= since)
            .order_by(when.desc(), Job.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()
