"""``/_sandbox``: act as a HubSpot user (no token, no rate limit), point and inspect the
webhooks, read the counters, reset."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response

from connectors.hubspot.sandbox.deps import SandboxDep, json_body, notify, object_type

router = APIRouter(prefix="/_sandbox")


@router.post("/objects/{type_name}", status_code=201)
async def user_create(
    type_name: str, request: Request, background: BackgroundTasks, sandbox: SandboxDep
) -> dict[str, Any]:
    body = await json_body(request)
    obj, change = sandbox.store.create(object_type(type_name), body.get("properties") or {})
    notify(sandbox, background, [change], "CRM_UI")
    return obj.to_json(list(obj.properties))


@router.get("/objects/{type_name}")
async def user_list(type_name: str, sandbox: SandboxDep) -> dict[str, Any]:
    """Every live object of a type, as a HubSpot user browsing the CRM sees them (no
    token, not rate limited: for demos and tests)."""
    objects = sandbox.store.all(object_type(type_name))
    return {"results": [o.to_json(list(o.properties)) for o in objects]}


@router.patch("/objects/{type_name}/{object_id}")
async def user_update(
    type_name: str,
    object_id: str,
    request: Request,
    background: BackgroundTasks,
    sandbox: SandboxDep,
) -> dict[str, Any]:
    body = await json_body(request)
    kind = object_type(type_name)
    obj, change = sandbox.store.update(kind, object_id, body.get("properties") or {})
    # Sandbox only: this change reaches the search index that many seconds late.
    lag = body.get("indexLagSeconds")
    if isinstance(lag, int | float) and lag > 0:
        sandbox.store.delay_search(kind, object_id, float(lag))
    notify(sandbox, background, [change], "CRM_UI")
    return obj.to_json(list(obj.properties))


@router.put("/webhooks")
async def set_webhook_target(request: Request, sandbox: SandboxDep) -> dict[str, Any]:
    body = await json_body(request)
    target = body.get("targetUrl")
    sandbox.webhooks.target_url = str(target) if target else None
    return {"targetUrl": sandbox.webhooks.target_url}


@router.get("/webhooks/deliveries")
async def deliveries(sandbox: SandboxDep) -> dict[str, Any]:
    return {
        "results": [
            {
                "url": d.url,
                "status": d.status,
                "error": d.error,
                "attemptNumber": d.attempt,
                "body": json.loads(d.body),
            }
            for d in sandbox.webhooks.deliveries
        ],
        "pendingRetries": [
            {"attemptNumber": p.attempt, "dueAt": p.due_at, "events": len(p.events)}
            for p in sandbox.webhooks.pending
        ],
    }


@router.post("/webhooks/retry")
async def retry_webhooks(request: Request, sandbox: SandboxDep) -> dict[str, Any]:
    """Sends the failed batches whose retry is due now (``{"all": true}``: every one)."""
    body = await json_body(request)
    sent = await sandbox.webhooks.retry_due(everything=bool(body.get("all")))
    return {"sent": [{"status": d.status, "attemptNumber": d.attempt} for d in sent]}


@router.get("/stats")
async def stats(sandbox: SandboxDep) -> dict[str, int]:
    return asdict(sandbox.store.stats())


@router.post("/reset", status_code=204)
async def reset(sandbox: SandboxDep) -> Response:
    sandbox.reset()
    return Response(status_code=204)
