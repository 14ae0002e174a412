"""CRM v4 associations: list an object's associations, associate two objects by default."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from connectors.hubspot.sandbox.deps import ClientId, SandboxDep, object_type
from connectors.hubspot.sandbox.store import ASSOCIATION_TYPES, iso

V4 = "/crm/v4/objects/{from_type}/{object_id}/associations"

router = APIRouter()


@router.get(V4 + "/{to_type}")
async def list_associations(
    from_type: str, object_id: str, to_type: str, sandbox: SandboxDep, _: ClientId
) -> dict[str, Any]:
    source, target = object_type(from_type), object_type(to_type)
    sandbox.store.read(source, object_id)
    links = sandbox.store.associated(source, object_id, target)
    return {
        "results": [
            {
                "toObjectId": int(a.to_id),
                "associationTypes": [
                    {"category": "HUBSPOT_DEFINED", "typeId": a.type_id, "label": None}
                ],
            }
            for a in links
        ]
    }


@router.put(V4 + "/default/{to_type}/{to_id}")
async def associate_default(
    from_type: str,
    object_id: str,
    to_type: str,
    to_id: str,
    sandbox: SandboxDep,
    _: ClientId,
) -> dict[str, Any]:
    source, target = object_type(from_type), object_type(to_type)
    sandbox.store.associate_default(source, object_id, target, to_id)
    type_id = ASSOCIATION_TYPES[(source, target)]
    now = iso(sandbox.config.clock())
    return {
        "status": "COMPLETE",
        "results": [
            {
                "from": {"id": object_id},
                "to": {"id": to_id},
                "associationSpec": {
                    "associationCategory": "HUBSPOT_DEFINED",
                    "associationTypeId": type_id,
                },
            }
        ],
        "startedAt": now,
        "completedAt": now,
    }
