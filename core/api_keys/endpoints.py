from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from core.api_keys.schemas import ApiKeyCreate, ApiKeyOut, ApiKeyRotate, ApiKeyWithSecret
from core.api_keys.service import ApiKeyService, issued_view, key_view
from core.deps import ReadSession, Session, on_loop, require, services_of
from core.listing import FieldsParam, resource_response
from core.plugins.auth import Principal
from core.ratelimit.policy import CREDENTIALS
from core.responses import JsonResponse

router = APIRouter(prefix="/v1/api-keys", tags=["API keys"])


def key_service(request: Request) -> ApiKeyService:
    services = services_of(request)
    return ApiKeyService(
        services.authenticator, default_grace_hours=services.settings.key_rotation_grace_hours
    )


Keys = Annotated[ApiKeyService, Depends(on_loop(key_service))]


@router.post(
    "",
    response_model=ApiKeyWithSecret,
    status_code=201,
    summary="Create an API key (the full key is returned only here)",
    responses={404: {"description": "The API client does not exist."}},
)
async def create_key(
    session: Session,
    principal: Annotated[
        Principal, require("keys:write", endpoint_class=CREDENTIALS, returns_secret=True)
    ],
    keys: Keys,
    body: ApiKeyCreate,
) -> JsonResponse:
    issued = await keys.create(
        session, workspace_id=principal.workspace_id, data=body, grantor_scopes=principal.scopes
    )
    return resource_response(ApiKeyWithSecret, issued_view(issued), status_code=201)


@router.get("/{key_id}", response_model=ApiKeyOut, summary="Get an API key (masked)")
async def get_key(
    session: ReadSession,
    principal: Annotated[Principal, require("keys:read")],
    keys: Keys,
    key_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    key = await keys.get(session, workspace_id=principal.workspace_id, key_id=key_id)
    return resource_response(ApiKeyOut, key_view(key), fields)


@router.post(
    "/{key_id}/rotate",
    response_model=ApiKeyWithSecret,
    summary="Rotate a key's secret; the old secret keeps working for a grace period",
)
async def rotate_key(
    session: Session,
    principal: Annotated[
        Principal, require("keys:write", endpoint_class=CREDENTIALS, returns_secret=True)
    ],
    keys: Keys,
    key_id: str,
    body: ApiKeyRotate | None = None,
) -> JsonResponse:
    issued = await keys.rotate(
        session,
        workspace_id=principal.workspace_id,
        key_id=key_id,
        grace_period_hours=body.grace_period_hours if body else None,
        grantor_scopes=principal.scopes,
    )
    return resource_response(ApiKeyWithSecret, issued_view(issued))


@router.delete(
    "/{key_id}",
    status_code=204,
    summary="Revoke an API key",
    description="Revokes the key at once (its secret and any rotated one stop working). The "
    "same as `DELETE /v1/api-clients/{clientId}/api-keys/{keyId}`, without naming the client.",
)
async def revoke_key(
    session: Session,
    principal: Annotated[Principal, require("keys:write")],
    keys: Keys,
    key_id: str,
) -> Response:
    await keys.revoke(session, workspace_id=principal.workspace_id, key_id=key_id)
    return Response(status_code=204)
