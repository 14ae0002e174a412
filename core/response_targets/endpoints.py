from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.analytics.schemas import Period, period_params
from core.deps import ReadSession, Session, require
from core.plugins.auth import Principal
from core.ratelimit.policy import ANALYTICS
from core.response_targets.schemas import ResponseStats, ResponseTargetIn, ResponseTargetOut
from core.response_targets.service import response_targets

router = APIRouter(prefix="/v1/response-target", tags=["Response target"])


@router.get(
    "",
    response_model=ResponseTargetOut,
    summary="The workspace's response target",
    description="How soon a new lead should be answered; `targetSeconds` is null when unset.",
)
async def get_response_target(
    session: ReadSession, principal: Annotated[Principal, require("leads:read")]
) -> ResponseTargetOut:
    seconds = await response_targets.get(session, principal.workspace_id)
    return ResponseTargetOut(target_seconds=seconds)


@router.put(
    "",
    response_model=ResponseTargetOut,
    summary="Set the workspace's response target",
    description=(
        "A lead created while a target is set and still `new` with no call linked once the "
        "target has passed emits `lead.response_overdue`, once. A status change or a call "
        "linked to the lead answers it. The target applies to leads created from now on; "
        "`null` turns it off."
    ),
)
async def put_response_target(
    session: Session,
    principal: Annotated[Principal, require("leads:write")],
    body: ResponseTargetIn,
) -> ResponseTargetOut:
    await response_targets.set(session, principal.workspace_id, body.target_seconds)
    return ResponseTargetOut(target_seconds=body.target_seconds)


@router.get(
    "/stats",
    response_model=ResponseStats,
    summary="How many leads were answered within the target",
    description=(
        "For the leads created in `[dateFrom, dateTo)` while a target was set: answered "
        "within it, answered late, still waiting (overdue or not yet), and the share "
        "answered within the target."
    ),
)
async def response_target_stats(
    session: ReadSession,
    principal: Annotated[Principal, require("analytics:read", endpoint_class=ANALYTICS)],
    period: Annotated[Period, Depends(period_params)],
) -> ResponseStats:
    return await response_targets.stats(session, principal.workspace_id, period.start, period.end)
