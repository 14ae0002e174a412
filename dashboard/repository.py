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
from core.appointments.models import Appointment
from core.calls.models import Call
from core.connections.models import Connection, ExternalRecord, SyncItem
from core.events.models import Event
from core.jobs.models import Job
from core.payments.models import Payment
from core.payments.schemas import PAID_STATUSES
from core.webhooks.models import Delivery, Webhook

SYNC_JOB_TYPE = "connection.sync"

# A partner's subscription gets deliveries of the workspace's events too (docs/partners.md,
# "Partner webhooks"); they are the partner's, never shown to the workspace.
_NOT_A_PARTNERS = Webhook.partner_id.is_(None)


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

    async def count_appointments(self, workspace_id: str, since: datetime) -> int:
        """Appointments booked (created) since ``since``."""
        stmt = select(func.count()).where(
            Appointment.workspace_id == workspace_id, Appointment.created_at >= since
        )
        return int(await self.session.scalar(stmt) or 0)

    async def count_payments(self, workspace_id: str, since: datetime) -> int:
        """Payments that succeeded (made) since ``since``, refunded ones included."""
        stmt = select(func.count()).where(
            Payment.workspace_id == workspace_id,
            Payment.occurred_at >= since,
            Payment.status.in_(PAID_STATUSES),
        )
        return int(await self.session.scalar(stmt) or 0)

    async def count_deliveries(self, workspace_id: str, since: datetime) -> dict[str, int]:
        stmt = (
            select(Delivery.status, func.count())
            .outerjoin(Webhook, Webhook.id == Delivery.webhook_id)
            .where(
                Delivery.workspace_id == workspace_id,
                Delivery.created_at >= since,
                _NOT_A_PARTNERS,
            )
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
            .where(
                Connection.workspace_id == workspace_id,
                Connection.status.in_(("error", "reauthorization_required")),
            )
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

    # --- one lead's trail (the lead page) ------------------------------------------------

    async def lead_calls(self, workspace_id: str, lead_id: str, limit: int = 50) -> Sequence[Call]:
        rows = await self.session.scalars(
            select(Call)
            .where(Call.workspace_id == workspace_id, Call.lead_id == lead_id)
            .order_by(Call.started_at.desc())
            .limit(limit)
        )
        return rows.all()

    async def lead_events(
        self, workspace_id: str, lead_id: str, limit: int = 100
    ) -> Sequence[Event]:
        """The lead's events, newest first (an event's ``data.id`` is the lead's id)."""
        rows = await self.session.scalars(
            select(Event)
            .where(Event.workspace_id == workspace_id, Event.data["id"].as_string() == lead_id)
            .order_by(Event.occurred_at.desc())
            .limit(limit)
        )
        return rows.all()

    async def deliveries_of(self, event_ids: Sequence[str]) -> Sequence[Delivery]:
        if not event_ids:
            return []
        rows = await self.session.scalars(
            select(Delivery)
            .outerjoin(Webhook, Webhook.id == Delivery.webhook_id)
            .where(Delivery.event_id.in_(event_ids), _NOT_A_PARTNERS)
            .order_by(Delivery.created_at)
        )
        return rows.all()

    async def lead_sync_state(
        self, workspace_id: str, lead_id: str
    ) -> list[tuple[Connection, str, ExternalRecord | None, SyncItem | None]]:
        """Per connection and provider object that has the lead or work for it: the id map
        row (where the provider has it) and the newest push item (its state, its error)."""
        connections = {
            c.id: c
            for c in await self.session.scalars(
                select(Connection).where(Connection.workspace_id == workspace_id)
            )
        }
        if not connections:
            return []
        mapped = {
            (r.connection_id, r.object_type): r
            for r in await self.session.scalars(
                select(ExternalRecord).where(
                    ExternalRecord.hubwire_id == lead_id,
                    ExternalRecord.connection_id.in_(list(connections)),
                )
            )
        }
        latest: dict[tuple[str, str], SyncItem] = {}
        for item in await self.session.scalars(
            select(SyncItem)
            .where(SyncItem.hubwire_id == lead_id, SyncItem.connection_id.in_(list(connections)))
            .order_by(SyncItem.id)
        ):
            latest[(item.connection_id, item.object_type)] = item
        keys = sorted(set(mapped) | set(latest))
        return [
            (connections[cid], obj, mapped.get((cid, obj)), latest.get((cid, obj)))
            for cid, obj in keys
        ]
