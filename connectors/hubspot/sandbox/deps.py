"""What every router of the sandbox shares: the instance of the request, the bearer-token
check with its rate limit, body and parameter parsing, and webhook notification."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request, Response

from connectors.hubspot.sandbox.errors import ApiError
from connectors.hubspot.sandbox.state import Sandbox
from connectors.hubspot.sandbox.store import OBJECT_TYPES, Change


def current_sandbox(request: Request) -> Sandbox:
    """The sandbox this request reached (each app built by ``create_sandbox`` has its own;
    ``request.app`` is the sandbox app even when mounted under a prefix)."""
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


SandboxDep = Annotated[Sandbox, Depends(current_sandbox)]


def authenticate(request: Request, response: Response, sandbox: SandboxDep) -> str:
    """Checks the bearer token and counts the request; returns the app's client id."""
    cfg, store = sandbox.config, sandbox.store
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    client_id = cfg.static_tokens.get(token)
    scopes: tuple[str, ...] | None = None  # None: a private-app token with every scope
    if client_id is None:
        grant = store.access_grant(token) if token else None
        if grant is None:
            raise ApiError(
                401,
                "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                "INVALID_AUTHENTICATION",
            )
        if grant.expires_at is not None and grant.expires_at <= cfg.clock():
            raise ApiError(
                401,
                "The OAuth token used to make this call expired "
                f"{math.ceil(cfg.clock() - grant.expires_at)} second(s) ago.",
                "EXPIRED_AUTHENTICATION",
            )
        client_id, scopes = grant.client_id, grant.scopes
    decision = sandbox.limiter.hit(client_id)
    store.count_request(rate_limited=not decision.allowed)
    headers = {
        "X-HubSpot-RateLimit-Max": str(decision.limit),
        "X-HubSpot-RateLimit-Remaining": str(decision.remaining),
        "X-HubSpot-RateLimit-Interval-Milliseconds": str(decision.interval_ms),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
        raise ApiError(
            429,
            "You have reached your ten_secondly_rolling limit.",
            "RATE_LIMITS",
            headers=headers,
            extra={"errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"},
        )
    response.headers.update(headers)
    needed = required_scope(request)
    if needed is not None and scopes is not None and needed not in scopes:
        raise ApiError(
            403,
            "This app hasn't been granted all required scopes to make this call. Read more "
            "about required scopes here: https://developers.hubspot.com/scopes.",
            "MISSING_SCOPES",
            extra={
                "errors": [
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": [needed]},
                    }
                ],
                "links": {"scopes": "https://developers.hubspot.com/scopes"},
            },
        )
    return client_id


def required_scope(request: Request) -> str | None:
    """The scope a CRM call needs: read or write of contacts (notes ride on the contacts
    scopes, as HubSpot's notes API does) or of deals."""
    params = request.path_params
    kind = params.get("type_name") or params.get("from_type")
    if kind not in OBJECT_TYPES:
        return None
    reading = request.method == "GET" or request.url.path.endswith(("/search", "/batch/read"))
    owner = "deals" if kind == "deals" else "contacts"
    return f"crm.objects.{owner}.{'read' if reading else 'write'}"


# The client id of the app whose token authenticated the request.
ClientId = Annotated[str, Depends(authenticate)]


def object_type(name: str) -> str:
    if name not in OBJECT_TYPES:
        raise ApiError(400, f"Unable to infer object type from: {name}", "VALIDATION_ERROR")
    return name


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise ApiError(400, "Invalid input JSON on line 1", "VALIDATION_ERROR") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid input JSON: expected an object", "VALIDATION_ERROR")
    return body


def list_param(request: Request, name: str) -> list[str] | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    return [v for value in values for v in value.split(",") if v]


def notify(
    sandbox: Sandbox, background: BackgroundTasks, changes: list[Change], source: str
) -> None:
    """Sends the webhooks for ``changes`` after the response (as HubSpot does, later)."""
    if changes:
        background.add_task(sandbox.webhooks.send, changes, source)
