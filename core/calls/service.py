from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.agents.service import agents
from core.calls.models import Call
from core.calls.repository import CALL_SORTING, CallRepository
from core.calls.schemas import (
    MAX_DURATION_SECONDS,
    CallCreate,
    CallFilters,
    CallOut,
    CallUpdate,
    TranscriptUpload,
)
from core.database import utcnow
from core.errors import Conflict, NotFound, ValidationFailed
from core.events.service import emit
from core.jobs.models import Job
from core.jobs.service import jobs
from core.leads.repository import LeadRepository
from core.listing import ListParams, PageResult, bounded_count, paginate
from core.response_targets.service import response_targets

# The most calls of a `startedAt` window sorted by themselves rather than walked to (about
# 13-14 ms to sort 40,000 from the index under load, docs/operations/scale.md).
SORT_BOUND = 50_000


class CallNotFound(NotFound):
    def __init__(self, call_id: str) -> None:
        super().__init__(f"Call {call_id} does not exist.", details={"id": call_id})


class CallHasNoTranscript(Conflict):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            f"Call {call_id} has no transcript to analyse; upload one with "
            f"POST /v1/calls/{call_id}/transcript first.",
            details={"id": call_id},
        )


class CallLeadNotFound(ValidationFailed):
    def __init__(self, lead_id: str) -> None:
        super().__init__(
            f"leadId: lead {lead_id} does not exist in this workspace.",
            details={"field": "leadId"},
        )


class CallEndsBeforeStart(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("endedAt must not be before startedAt.", details={"field": "endedAt"})


class CallTooLong(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            f"A call lasts at most {MAX_DURATION_SECONDS} seconds; check startedAt and endedAt.",
            details={"field": "endedAt"},
        )


def call_duration(started_at: datetime, ended_at: datetime | None) -> int | None:
    """Whole seconds between start and end, after checking they are in order."""
    if ended_at is None:
        return None
    if ended_at < started_at:
        raise CallEndsBeforeStart()
    seconds = round((ended_at - started_at).total_seconds())
    if seconds > MAX_DURATION_SECONDS:
        raise CallTooLong()
    return seconds


ENDED_STATUSES = frozenset({"ended", "failed"})


def _emit(session: AsyncSession, call: Call, event_type: str) -> None:
    # The transcript can be 200,000 characters: events carry the call without it.
    data = CallOut.model_validate(call).model_dump(
        mode="json", by_alias=True, exclude={"transcript"}
    )
    emit(session, workspace_id=call.workspace_id, type=event_type, data=data)


class CallService:
    async def create(self, session: AsyncSession, *, workspace_id: str, data: CallCreate) -> Call:
        if data.lead_id is not None:
            await self._check_lead(session, workspace_id, data.lead_id)
        if data.agent_id is not None:
            await agents.check_assignable(
                session, workspace_id=workspace_id, agent_id=data.agent_id
            )
        started_at = data.started_at or utcnow()
        duration = call_duration(started_at, data.ended_at)
        values = data.model_dump(exclude={"status", "started_at", "duration_seconds"})
        call = Call(
            workspace_id=workspace_id,
            **values,
            started_at=started_at,
            status=data.status or ("ended" if data.ended_at is not None else "in_progress"),
            duration_seconds=duration if data.duration_seconds is None else data.duration_seconds,
        )
        CallRepository(session).add(call)
        await session.flush()
        if call.lead_id is not None:
            await response_targets.answered(session, call.lead_id)
        _emit(session, call, "call.started")
        if call.status in ENDED_STATUSES:
            _emit(session, call, "call.ended")
        return call

    async def list(
        self, session: AsyncSession, *, workspace_id: str, filters: CallFilters, params: ListParams
    ) -> PageResult:
        stmt = CallRepository(session).query(workspace_id, filters)
        _, column, descending = CALL_SORTING.resolve(params.sort)
        # A `startedAt` window listed by another time column: walking that column's index
        # crosses every call between the walk's start and the window (from the oldest for an
        # ascending sort, from now down to a closed window's end for a descending one), a
        # cost that grows with the history; sorting the window's ids from their index costs
        # the window. The window is counted first (index only, up to a bound): a wider one
        # is left to the walk, which meets its calls early. (A `createdAfter` window needs no
        # help: `updatedAt` is bounded by it too.) docs/operations/scale.md
        window = filters.started
        walk_crosses_history = (
            column is not Call.started_at
            and window.created_after is not None
            and (not descending or window.created_before is not None)
        )
        filter_first = walk_crosses_history and (await bounded_count(session, stmt, SORT_BOUND))[1]
        return await paginate(session, stmt, CALL_SORTING, params, filter_first=filter_first)

    async def get(self, session: AsyncSession, *, workspace_id: str, call_id: str) -> Call:
        call = await CallRepository(session).get(workspace_id, call_id)
        if call is None:
            raise CallNotFound(call_id)
        return call

    async def update(
        self, session: AsyncSession, *, workspace_id: str, call_id: str, data: CallUpdate
    ) -> Call:
        call = await self.get(session, workspace_id=workspace_id, call_id=call_id)
        was_ended = call.status in ENDED_STATUSES
        changes: dict[str, Any] = data.model_dump(exclude_unset=True)
        if changes.get("lead_id") is not None:
            await self._check_lead(session, workspace_id, changes["lead_id"])
        if changes.get("agent_id") is not None and changes["agent_id"] != call.agent_id:
            await agents.check_assignable(
                session, workspace_id=workspace_id, agent_id=changes["agent_id"]
            )
        started_at = changes.get("started_at", call.started_at)
        ended_at = changes.get("ended_at", call.ended_at)
        duration = call_duration(started_at, ended_at)
        if "duration_seconds" not in changes and (
            "ended_at" in changes or ("started_at" in changes and ended_at is not None)
        ):
            changes["duration_seconds"] = duration
        if changes.get("ended_at") is not None and "status" not in changes:
            changes["status"] = "ended"
        for name, value in changes.items():
            setattr(call, name, value)
        await session.flush()
        await session.refresh(call)
        if changes.get("lead_id") is not None:
            await response_targets.answered(session, changes["lead_id"])
        if call.status in ENDED_STATUSES and not was_ended:
            _emit(session, call, "call.ended")
        return call

    async def upload_transcript(
        self, session: AsyncSession, *, workspace_id: str, call_id: str, data: TranscriptUpload
    ) -> Call:
        call = await self.get(session, workspace_id=workspace_id, call_id=call_id)
        call.transcript_text = data.text
        call.transcript_segments = (
            None if data.segments is None else [segment.model_dump() for segment in data.segments]
        )
        call.transcript_language = data.language
        call.transcribed_at = utcnow()
        await session.flush()
        await session.refresh(call)
        _emit(session, call, "call.transcribed")
        return call

    async def request_analysis(
        self, session: AsyncSession, *, workspace_id: str, call_id: str, callback_url: str | None
    ) -> Job:
        """Queues a `call.analysis` job; refused up front when there is nothing to analyse."""
        call = await self.get(session, workspace_id=workspace_id, call_id=call_id)
        if call.transcript_text is None:
            raise CallHasNoTranscript(call_id)
        return await jobs.create(
            session,
            workspace_id=workspace_id,
            type="call.analysis",
            input={"callId": call.id},
            callback_url=callback_url,
        )

    async def _check_lead(self, session: AsyncSession, workspace_id: str, lead_id: str) -> None:
        if await LeadRepository(session).get(workspace_id, lead_id) is None:
            raise CallLeadNotFound(lead_id)


calls = CallService()
