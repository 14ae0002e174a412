from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.auth.principal import Principal
from core.deps import Access, Session
from core.listing import resource_response
from core.responses import JsonResponse
from zapier.account.schemas import ZapierMe
from zapier.account.service import whoami

router = APIRouter(prefix="/v1/zapier", tags=["Zapier"])


@router.get(
    "/me",
    response_model=ZapierMe,
    summary="Who this credential acts for (Zapier's connection test and label)",
    description=(
        "Answers for every credential: OAuth access tokens (which `GET /v1/me` refuses, as it "
        "serves dashboard logins only), user tokens and API keys."
    ),
)
async def me(
    session: Session, principal: Annotated[Principal, Depends(Access(None))]
) -> JsonResponse:
    return resource_response(ZapierMe, await whoami(session, principal))
