"""CRM v3 objects: list, create, read, update and archive one object
(``/crm/v3/objects/{type}[/{id}]``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response

from connectors.hubspot.sandbox.deps import (
    ClientId,
    SandboxDep,
    json_body,
    list_param,
    notify,
    object_type,
)
from connectors.hubspot.sandbox.errors import ApiError
from connectors.hubspot.sandbox.state import Sandbox
from connectors.hubspot.sandbox.store import SINGULAR, CrmObject

CRM = "/crm/v3/objects/{type_name}"

router = APIRouter()


def render(
    sandbox: Sandbox, obj: CrmObject, props: list[str] | None, assoc: list[str] | None
) -> dict[str, Any]:
    """An object as a read returns it, with the ``associations`` asked for."""
    body = obj.to_json(props)
    if assoc:
        found: dict[str, Any] = {}
        for to_type in assoc:
            links = sandbox.store.associated(obj.object_type, obj.id, to_type)
            if links:
                label = f"{SINGULAR[obj.object_type]}_to_{SINGULAR[to_type]}"
                found[to_type] = {"results": [{"id": a.to_id, "type": label} for a in links]}
        body["associations"] = found
    return body


def parse_associations(raw: Any) -> list[tuple[str, int]]:
    """A create's ``associations`` as (to id, association type id) pairs."""
    out: list[tuple[str, int]] = []
    for item in raw or []:
        to_id = str((item.get("to") or {}).get("id", ""))
        types = item.get("types") or [{}]
        for spec in types:
            out.append((to_id, int(spec.get("associationTypeId") or 0)))
    return out


@router.get(CRM)
async def list_objects(
    type_name: str, request: Request, sandbox: SandboxDep, _: ClientId
) -> dict[str, Any]:
    kind = object_type(type_name)
    cfg = sandbox.config
    q = request.query_params
    limit = int(q.get("limit", "10"))
    if not 0 < limit <= cfg.max_page_size:
        raise ApiError(400, f"limit must be 1..{cfg.max_page_size}", "VALIDATION_ERROR")
    rows, nxt = sandbox.store.page(
        kind, after=q.get("after"), limit=limit, archived=q.get("archived") == "true"
    )
    props, assoc = list_param(request, "properties"), list_param(request, "associations")
    body: dict[str, Any] = {"results": [render(sandbox, o, props, assoc) for o in rows]}
    if nxt is not None:
        link = str(request.url.include_query_params(after=nxt))
        body["paging"] = {"next": {"after": nxt, "link": link}}
    return body


@router.post(CRM, status_code=201)
async def create_object(
    type_name: str,
    request: Request,
    background: BackgroundTasks,
    sandbox: SandboxDep,
    _: ClientId,
) -> dict[str, Any]:
    kind = object_type(type_name)
    body = await json_body(request)
    obj, change = sandbox.store.create(
        kind, body.get("properties") or {}, parse_associations(body.get("associations"))
    )
    notify(sandbox, background, [change], "INTEGRATION")
    return obj.to_json(list(obj.properties))


@router.get(CRM + "/{object_id}")
async def get_object(
    type_name: str, object_id: str, request: Request, sandbox: SandboxDep, _: ClientId
) -> dict[str, Any]:
    kind = object_type(type_name)
    store = sandbox.store
    q = request.query_params
    id_property = q.get("idProperty")
    if id_property:
        match = next(
            (o for o in store.all(kind) if o.properties.get(id_property) == object_id), None
        )
        if match is None:
            raise ApiError(404, "resource not found", "OBJECT_NOT_FOUND")
        obj = match
    else:
        obj = store.read(kind, object_id, archived=q.get("archived") == "true")
    props, assoc = list_param(request, "properties"), list_param(request, "associations")
    return render(sandbox, obj, props, assoc)


@router.patch(CRM + "/{object_id}")
async def update_object(
    type_name: str,
    object_id: str,
    request: Request,
    background: BackgroundTasks,
    sandbox: SandboxDep,
    _: ClientId,
) -> dict[str, Any]:
    kind = object_type(type_name)
    body = await json_body(request)
    obj, change = sandbox.store.update(kind, object_id, body.get("properties") or {})
    notify(sandbox, background, [change], "INTEGRATION")
    return obj.to_json(list(obj.properties))


@router.delete(CRM + "/{object_id}", status_code=204)
async def archive_object(
    type_name: str,
    object_id: str,
    background: BackgroundTasks,
    sandbox: SandboxDep,
    _: ClientId,
) -> Response:
    change = sandbox.store.archive(object_type(type_name), object_id)
    notify(sandbox, background, [change] if change else [], "INTEGRATION")
    return Response(status_code=204)
