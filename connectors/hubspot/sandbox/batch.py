"""CRM v3 batch endpoints: ``/crm/v3/objects/{type}/batch/{create|update|read|archive}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse

from connectors.hubspot.sandbox.config import SandboxConfig
from connectors.hubspot.sandbox.deps import ClientId, SandboxDep, json_body, notify, object_type
from connectors.hubspot.sandbox.errors import ApiError
from connectors.hubspot.sandbox.objects import CRM, parse_associations
from connectors.hubspot.sandbox.state import Sandbox
from connectors.hubspot.sandbox.store import StoreError, iso

router = APIRouter()


def batch_inputs(cfg: SandboxConfig, body: dict[str, Any]) -> list[dict[str, Any]]:
    inputs = body.get("inputs")
    if not isinstance(inputs, list):
        raise ApiError(400, "Invalid input JSON: inputs is required", "VALIDATION_ERROR")
    if len(inputs) > cfg.max_batch_inputs:
        raise ApiError(
            400,
            f"Batch input size {len(inputs)} exceeds the limit of {cfg.max_batch_inputs}.",
            "VALIDATION_ERROR",
        )
    return [i if isinstance(i, dict) else {} for i in inputs]


def batch_result(
    cfg: SandboxConfig,
    results: list[dict[str, Any]],
    started: float,
    missing: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": iso(started),
        "completedAt": iso(cfg.clock()),
    }
    if missing:
        body["numErrors"] = 1
        body["errors"] = [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": "Could not get some objects, they may be deleted or not exist.",
                "context": {"ids": missing},
            }
        ]
    return body


def _create(
    sandbox: Sandbox,
    background: BackgroundTasks,
    kind: str,
    inputs: list[dict[str, Any]],
    started: float,
) -> JSONResponse:
    """All or nothing (the first refusal answers for the batch, ``409`` for a duplicate),
    unless every input carries an ``objectWriteTraceId``: then each input succeeds or fails
    on its own, the answer is ``207`` when one failed, each error names its input's trace
    id in ``context.objectWriteTraceId`` and each created object echoes its trace id
    (HubSpot's error-handling guide, "Multi-status errors")."""
    cfg, store = sandbox.config, sandbox.store
    parsed = [
        (i.get("properties") or {}, parse_associations(i.get("associations"))) for i in inputs
    ]
    traces = [str(i.get("objectWriteTraceId") or "") for i in inputs]
    if not inputs or not all(traces):
        made, changes = store.create_many(kind, parsed)
        notify(sandbox, background, changes, "INTEGRATION")
        results = [o.to_json(list(o.properties)) for o in made]
        return JSONResponse(batch_result(cfg, results, started), status_code=201)
    results, errors, changes = [], [], []
    for trace, outcome in zip(traces, store.create_each(kind, parsed), strict=True):
        if isinstance(outcome, StoreError):
            errors.append(
                {
                    "status": "error",
                    "category": outcome.category,
                    "message": outcome.message,
                    "context": {"objectWriteTraceId": [trace]},
                }
            )
            continue
        obj, change = outcome
        results.append({**obj.to_json(list(obj.properties)), "objectWriteTraceId": trace})
        changes.append(change)
    notify(sandbox, background, changes, "INTEGRATION")
    body = batch_result(cfg, results, started)
    if errors:
        body.update(numErrors=len(errors), errors=errors)
    return JSONResponse(body, status_code=207 if errors else 201)


def _upsert(
    sandbox: Sandbox,
    background: BackgroundTasks,
    kind: str,
    inputs: list[dict[str, Any]],
    started: float,
) -> JSONResponse:
    """Batch upsert of contacts by their unique ``email`` (``idProperty``): each input
    updates the contact with that email or creates it (``new`` says which); an input
    refused for its values is an error naming its ``objectWriteTraceId`` (``207``)."""
    if kind != "contacts" or any(i.get("idProperty") != "email" for i in inputs):
        raise ApiError(
            400, "idProperty must be a unique property of the object: email", "VALIDATION_ERROR"
        )
    results, errors, changes = [], [], []
    for item in inputs:
        trace = str(item.get("objectWriteTraceId") or "")
        try:
            obj, change = sandbox.store.upsert(
                kind, str(item.get("id") or ""), item.get("properties") or {}
            )
        except StoreError as exc:
            error = {"status": "error", "category": exc.category, "message": exc.message}
            errors.append({**error, "context": {"objectWriteTraceId": [trace]}} if trace else error)
            continue
        result = {**obj.to_json(list(obj.properties)), "new": change.created}
        results.append({**result, "objectWriteTraceId": trace} if trace else result)
        changes.append(change)
    notify(sandbox, background, changes, "INTEGRATION")
    body = batch_result(sandbox.config, results, started)
    if errors:
        body.update(numErrors=len(errors), errors=errors)
    return JSONResponse(body, status_code=207 if errors else 200)


@router.post(CRM + "/batch/{action}")
async def batch(
    type_name: str,
    action: str,
    request: Request,
    background: BackgroundTasks,
    sandbox: SandboxDep,
    _: ClientId,
) -> Response:
    cfg, store = sandbox.config, sandbox.store
    kind = object_type(type_name)
    body = await json_body(request)
    inputs = batch_inputs(cfg, body)
    started = cfg.clock()
    if action in ("create", "update", "upsert"):
        store.count_batch_write(len(inputs))
    if action == "create":
        return _create(sandbox, background, kind, inputs, started)
    if action == "upsert":
        return _upsert(sandbox, background, kind, inputs, started)
    if action == "update":
        updated = []
        for item in inputs:
            obj, change = store.update(kind, str(item.get("id")), item.get("properties") or {})
            updated.append(obj.to_json(list(obj.properties)))
            notify(sandbox, background, [change], "INTEGRATION")
        return JSONResponse(batch_result(cfg, updated, started))
    if action == "read":
        props = body.get("properties") or None
        id_property = body.get("idProperty")
        found, missing = [], []
        for item in inputs:
            wanted = str(item.get("id"))
            if id_property:
                match = next(
                    (o for o in store.all(kind) if o.properties.get(id_property) == wanted),
                    None,
                )
            else:
                match = store.get(kind, wanted)
                match = match if match and not match.archived else None
            if match is None:
                missing.append(wanted)
            else:
                found.append(match.to_json(props))
        status = 207 if missing else 200
        return JSONResponse(batch_result(cfg, found, started, missing), status_code=status)
    if action == "archive":
        archived = [store.archive(kind, str(i.get("id"))) for i in inputs]
        notify(sandbox, background, [c for c in archived if c], "INTEGRATION")
        return Response(status_code=204)
    raise ApiError(404, f"Unknown batch action {action}", "OBJECT_NOT_FOUND")
