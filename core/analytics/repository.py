"""Every analytics query: grouped in SQL, always scoped to one workspace and one period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.agents.models import Agent
from core.appointments.models import Appointment
from core.calls.models import Call
from core.chat.models import ChatMessage, ChatSession
from core.jobs.models import Job
from core.leads.models import Lead
from core.payments.models import Payment
from core.payments.schemas import PAID_STATUSES
from core.timeseries import GroupBy, time_bucket


def _within(
    column: InstrumentedAttribute[datetime], start: datetime, end: datetime
) -> list[ColumnElement[bool]]:
    return [column >= start, column < end]


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, stmt: Any) -> list[Any]:
        return list((await self.session.execute(stmt)).all())

    # Leads, by creation time.

    def _leads(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        return [Lead.workspace_id == workspace_id, *_within(Lead.created_at, start, end)]

    async def leads_by_status(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        """(status, count) rows."""
        return await self._rows(
            select(Lead.status, func.count())
            .where(*self._leads(workspace_id, start, end))
            .group_by(Lead.status)
        )

    async def leads_by_source(
        self, workspace_id: str, start: datetime, end: datetime, limit: int
    ) -> list[Any]:
        """(source or None, count) rows, the most frequent first."""
        count = func.count().label("count")
        return await self._rows(
            select(Lead.source, count)
            .where(*self._leads(workspace_id, start, end))
            .group_by(Lead.source)
            .order_by(count.desc(), Lead.source)
            .limit(limit)
        )

    async def leads_by_bucket(
        self, workspace_id: str, start: datetime, end: datetime, group_by: GroupBy
    ) -> list[Any]:
        """(bucket label, status, count) rows."""
        bucket = time_bucket(self.session, Lead.created_at, group_by).label("bucket")
        return await self._rows(
            select(bucket, Lead.status, func.count())
            .where(*self._leads(workspace_id, start, end))
            .group_by(bucket, Lead.status)
        )

    # Calls, by start time.

    def _calls(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        return [Call.workspace_id == workspace_id, *_within(Call.started_at, start, end)]

    async def call_totals(self, workspace_id: str, start: datetime, end: datetime) -> Any:
        """(count, average duration or None, total duration)."""
        return (
            await self.session.execute(
                select(
                    func.count(),
                    func.avg(Call.duration_seconds),
                    func.coalesce(func.sum(Call.duration_seconds), 0),
                ).where(*self._calls(workspace_id, start, end))
            )
        ).one()

    async def calls_by_status(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        """(status, count) rows."""
        return await self._rows(
            select(Call.status, func.count())
            .where(*self._calls(workspace_id, start, end))
            .group_by(Call.status)
        )

    async def calls_by_outcome(
        self, workspace_id: str, start: datetime, end: datetime
    ) -> list[Any]:
        """(outcome or None, count) rows."""
        return await self._rows(
            select(Call.outcome, func.count())
            .where(*self._calls(workspace_id, start, end))
            .group_by(Call.outcome)
        )

    async def calls_by_bucket(
        self, workspace_id: str, start: datetime, end: datetime, group_by: GroupBy
    ) -> list[Any]:
        """(bucket label, count, ended, failed, average duration or None) rows."""
        bucket = time_bucket(self.session, Call.started_at, group_by).label("bucket")
        ended = func.coalesce(func.sum(case((Call.status == "ended", 1), else_=0)), 0)
        failed = func.coalesce(func.sum(case((Call.status == "failed", 1), else_=0)), 0)
        return await self._rows(
            select(bucket, func.count(), ended, failed, func.avg(Call.duration_seconds))
            .where(*self._calls(workspace_id, start, end))
            .group_by(bucket)
        )

    # Agents: their calls of the period.

    async def calls_by_agent(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        """(agent id or None, count, total duration) rows."""
        return await self._rows(
            select(Call.agent_id, func.count(), func.coalesce(func.sum(Call.duration_seconds), 0))
            .where(*self._calls(workspace_id, start, end))
            .group_by(Call.agent_id)
        )

    async def agent_analyses(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        """(agent id, call id, finished at, result) rows: every succeeded analysis of an
        agent's call of the period (a call analysed twice has two rows)."""
        return await self._rows(
            select(Call.agent_id, Call.id, Job.finished_at, Job.result)
            .join(Job, Job.input["callId"].as_string() == Call.id)
            .where(
                *self._calls(workspace_id, start, end),
                Call.agent_id.is_not(None),
                Job.workspace_id == workspace_id,
                Job.type == "call.analysis",
                Job.status == "succeeded",
            )
        )

    async def agent_leads(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        """(agent id, leads called, leads of those now converted) rows."""
        converted = case((Lead.status == "converted", Lead.id), else_=None)
        return await self._rows(
            select(
                Call.agent_id,
                func.count(func.distinct(Lead.id)),
                func.count(func.distinct(converted)),
            )
            .join(Lead, Lead.id == Call.lead_id)
            .where(*self._calls(workspace_id, start, end), Call.agent_id.is_not(None))
            .group_by(Call.agent_id)
        )

    async def agents(self, workspace_id: str, agent_ids: set[str]) -> list[Agent]:
        """The given agents and every active one of the workspace."""
        return list(
            await self.session.scalars(
                select(Agent).where(
                    Agent.workspace_id == workspace_id,
                    (Agent.status == "active") | Agent.id.in_(agent_ids),
                )
            )
        )

    # Appointments, by booking time.

    async def appointments_by_status(
        self, workspace_id: str, start: datetime, end: datetime
    ) -> list[Any]:
        """(status, count) rows of the appointments booked in the period."""
        return await self._rows(
            select(Appointment.status, func.count())
            .where(
                Appointment.workspace_id == workspace_id,
                *_within(Appointment.created_at, start, end),
            )
            .group_by(Appointment.status)
        )

    # Payments, by the time they were made; revenue is what paid payments kept (net of
    # refunds), per currency: amounts in different currencies are never added up.

    def _payments(self, workspace_id: str, start: datetime, end: datetime) -> list[Any]:
        return [Payment.workspace_id == workspace_id, *_within(Payment.occurred_at, start, end)]

    async def payments_by_status(
        self, workspace_id: str, start: datetime, end: datetime
    ) -> list[Any]:
        """(status, count) rows."""
        return await self._rows(
            select(Payment.status, func.count())
            .where(*self._payments(workspace_id, start, end))
            .group_by(Payment.status)
        )

    async def revenue_by_source(
        self, workspace_id: str, start: datetime, end: datetime
    ) -> list[Any]:
        """(provider, currency, net revenue, refunded) rows of the paid payments."""
        return await self._rows(
            select(
                Payment.provider,
                Payment.currency,
                func.sum(Payment.amount - Payment.refunded_amount),
                func.sum(Payment.refunded_amount),
            )
            .where(*self._payments(workspace_id, start, end), Payment.status.in_(PAID_STATUSES))
            .group_by(Payment.provider, Payment.currency)
        )

    async def revenue_by_bucket(
        self, workspace_id: str, start: datetime, end: datetime, group_by: GroupBy
    ) -> list[Any]:
        """(bucket label, currency, paid payments, net revenue) rows."""
        bucket = time_bucket(self.session, Payment.occurred_at, group_by).label("bucket")
        return await self._rows(
            select(
                bucket,
                Payment.currency,
                func.count(),
                func.sum(Payment.amount - Payment.refunded_amount),
            )
            .where(*self._payments(workspace_id, start, end), Payment.status.in_(PAID_STATUSES))
            .group_by(bucket, Payment.currency)
        )

    # Chat, by creation time.

    async def chat_sessions(self, workspace_id: str, start: datetime, end: datetime) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(ChatSession)
            .where(
                ChatSession.workspace_id == workspace_id,
                *_within(ChatSession.created_at, start, end),
            )
        )
        return int(count or 0)

    async def chat_messages(self, workspace_id: str, start: datetime, end: datetime) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(ChatMessage)
            .where(
                ChatMessage.workspace_id == workspace_id,
                *_within(ChatMessage.created_at, start, end),
            )
        )
        return int(count or 0)
