from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from core.auth.principal import Principal
from core.connectors.schemas import ConnectorCatalogOut
from core.connectors.service import connectors
from core.deps import require

router = APIRouter(prefix="/v1/connectors", tags=["Connectors"])


@router.get(
    "",
    response_model=ConnectorCatalogOut,
    summary="The connectors this Hubwire can sync with",
    description=(
        "Every installed connector (built-in or from another package), with how it "
        "authenticates, the events it subscribes to and the objects it syncs. Operators "
        "may limit the list with `HUBWIRE_CONNECTORS`."
    ),
)
async def list_connectors(
    principal: Annotated[Principal, require("connections:read")],
) -> ConnectorCatalogOut:
    return ConnectorCatalogOut(data=connectors.catalog())
