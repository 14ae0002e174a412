"""``GET /metrics``: for Prometheus, outside the public API (not in its OpenAPI document,
not behind its API keys, not counted as usage). ``HUBWIRE_METRICS_ENABLED=false`` leaves
the route out (404); ``HUBWIRE_METRICS_TOKEN`` makes it ask for that bearer token."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response

from core.deps import services_of
from core.errors import Unauthorized
from core.metrics.service import CONTENT_TYPE

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def get_metrics(request: Request) -> Response:
    services = services_of(request)
    token = services.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            value.strip().encode(), token.encode()
        ):
            raise Unauthorized("GET /metrics needs the metrics token (HUBWIRE_METRICS_TOKEN).")
    return Response(await services.metrics.exposition(), media_type=CONTENT_TYPE)
