from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from core.deps import require_any
from core.plugins.auth import Principal
from core.ratelimit.schemas import RateLimitsOut
from core.ratelimit.service import rate_limits

router = APIRouter(prefix="/v1/rate-limits", tags=["Rate limits"])


@router.get(
    "",
    response_model=RateLimitsOut,
    summary="Rate-limit tiers and the caller's own limits",
    description=(
        "Every response also carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`, "
        "`X-RateLimit-Reset` and the IETF `RateLimit` / `RateLimit-Policy` headers."
    ),
)
async def get_rate_limits(principal: Annotated[Principal, require_any()]) -> RateLimitsOut:
    return rate_limits(principal)
