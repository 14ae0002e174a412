from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from core.deps import require_any, services_of
from core.health.schemas import HealthReport
from core.health.service import health
from core.plugins.auth import Principal
from core.responses import JsonResponse

router = APIRouter(prefix="/v1/health", tags=["Health"])
liveness_router = APIRouter(tags=["Health"])


@liveness_router.get(
    "/healthz",
    summary="Liveness",
    description=(
        'Answers 200 `{"status": "ok"}` while the process serves requests, without '
        "authentication and without touching the database: for load balancers and "
        "orchestrators. `GET /v1/health` (authenticated) checks the dependencies."
    ),
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
)
async def get_liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "",
    response_model=HealthReport,
    response_model_exclude_none=True,
    summary="Service health",
    description=(
        "Checks the database and, when configured, Redis. Answers 200 when every configured "
        "check passes, and 503 with the same body (`status: degraded`, the failing check "
        "marked `fail`) when one does not."
    ),
    responses={503: {"model": HealthReport, "description": "A dependency failed its check."}},
)
async def get_health(
    request: Request, _principal: Annotated[Principal, require_any()]
) -> JsonResponse:
    report = await health.check(services_of(request))
    return JsonResponse(
        report.model_dump(mode="json", by_alias=True, exclude_none=True),
        status_code=200 if report.healthy else 503,
    )
