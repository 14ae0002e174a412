"""Speed to lead: each lead created while the workspace has a response target gets a due
time; a status change or a call linked to the lead answers it; the sweeper emits
``lead.response_overdue`` once for each lead still unanswered past it. All state is in
the database, so a restart neither loses an alert nor sends one twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.events.service import emit
from core.leads.models import Lead
from core.leads.schemas import LeadOut
from core.response_targets.models import LeadResponse, ResponseTarget
from core.response_targets.schemas import ResponseStats

OVERDUE_EVENT = "lead.response_overdue"
# Leads marked overdue per sweep transaction.
OVERDUE_BATCH = 500


class ResponseTargetService:
    async def get(self, session: AsyncSession, workspace_id: str) -> int | None:
        row = await session.get(ResponseTarget, workspace_id)
        return row.target_seconds if row is not None else None

    async def set(self, session: AsyncSession, workspace_id: str, seconds: int | None) -> None:
        row = await session.get(ResponseTarget, workspace_id)
        if seconds is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(ResponseTarget(workspace_id=workspace_id, target_seconds=seconds))
        else:
            row.target_seconds, row.updated_at = seconds, utcnow()
        await session.flush()

    async def lead_created(self, session: AsyncSession, lead: Lead) -> None:
        """Starts the lead's clock when the workspace has a target and the lead is new."""
        if lead.status != "new":
            return
        seconds = await self.get(session, lead.workspace_id)
        if seconds is None:
            return
        session.add(
            LeadResponse(
                lead_id=lead.id,
                workspace_id=lead.workspace_id,
                due_at=lead.created_at + timedelta(seconds=seconds),
            )
        )

    async def answered(self, session: AsyncSession, lead_id: str) -> None:
        """The lead got its first response (a status change, a linked call): no alert."""
        await session.execute(
            update(LeadResponse)
            .where(LeadResponse.lead_id == lead_id, LeadResponse.responded_at.is_(None))
            .values(responded_at=utcnow())
        )

    async def emit_overdue(self, session: AsyncSession, now: datetime) -> int:
        """Marks leads past their due time with no response as overdue and emits
        ``lead.response_overdue`` for each, in the caller's transaction; returns how many.
        The mark is a conditional update (``overdue_at`` still empty), so two sweepers at
        once (or a repeated sweep) alert a lead once; on PostgreSQL the rows are also
        claimed with ``SKIP LOCKED``."""
        pending = (
            LeadResponse.responded_at.is_(None),
            LeadResponse.overdue_at.is_(None),
        )
        due = list(
            await session.scalars(
                select(LeadResponse.lead_id)
                .join(Lead, Lead.id == LeadResponse.lead_id)
                .where(LeadResponse.due_at <= now, *pending, Lead.status == "new")
                .order_by(LeadResponse.due_at)
                .limit(OVERDUE_BATCH)
                .with_for_update(skip_locked=True, of=LeadResponse)
            )
        )
        if not due:
            return 0
        marked = list(
            await session.scalars(
                update(LeadResponse)
                .where(LeadResponse.lead_id.in_(due), *pending)
                .values(overdue_at=now)
                .returning(LeadResponse.lead_id)
            )
        )
        found = list(await session.scalars(select(Lead).where(Lead.id.in_(marked))))
        for lead in found:
            emit(
                session,
                workspace_id=lead.workspace_id,
                type=OVERDUE_EVENT,
                data=LeadOut.model_validate(lead),
            )
        await session.flush()
        return len(found)

    async def stats(
        self, session: AsyncSession, workspace_id: str, start: datetime, end: datetime
    ) -> ResponseStats:
        now = utcnow()
        answered = LeadResponse.responded_at.is_not(None)
        within = answered & (LeadResponse.responded_at <= LeadResponse.due_at)
        waiting = LeadResponse.responded_at.is_(None)
        row = (
            await session.execute(
                select(
                    func.count(),
                    func.sum(case((within, 1), else_=0)),
                    func.sum(case((answered & ~within, 1), else_=0)),
                    func.sum(case((waiting & (LeadResponse.due_at <= now), 1), else_=0)),
                    func.sum(case((waiting & (LeadResponse.due_at > now), 1), else_=0)),
                )
                .select_from(LeadResponse)
                .join(Lead, Lead.id == LeadResponse.lead_id)
                .where(
                    LeadResponse.workspace_id == workspace_id,
                    Lead.created_at >= start,
                    Lead.created_at < end,
                )
            )
        ).one()
        total, on_time, late, overdue, pending = (int(v or 0) for v in row)
        return ResponseStats(
            leads=total,
            answered_within_target=on_time,
            answered_late=late,
            overdue=overdue,
            waiting=pending,
            share_within_target=round(on_time / total, 4) if total else None,
        )


response_targets = ResponseTargetService()
