from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from core.deps import Session
from core.listing import ListParams, list_params, page_response
from core.responses import JsonResponse
from core.schemas import Page
from oauth.consents.schemas import AuthorizationOut
from oauth.consents.service import consents
from oauth.deps import UserPrincipal

router = APIRouter(prefix="/v1/authorizations", tags=["Authentication"])


@router.get("", response_model=Page[AuthorizationOut], summary="The apps you authorized")
async def list_authorizations(
    session: Session,
    principal: UserPrincipal,
    params: Annotated[ListParams, Depends(list_params)],
) -> JsonResponse:
    assert principal.user_id is not None
    page = await consents.list(session, user_id=principal.user_id, params=params)
    return page_response(AuthorizationOut, page, params.fields)


@router.delete(
    "/{authorization_id}",
    status_code=204,
    summary="Revoke an app's access: its tokens stop working at once",
)
async def revoke_authorization(
    session: Session, principal: UserPrincipal, authorization_id: str
) -> Response:
    assert principal.user_id is not None
    await consents.revoke(session, user_id=principal.user_id, consent_id=authorization_id)
    return Response(status_code=204)
