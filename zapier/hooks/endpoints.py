from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from core.deps import Session, require, services_of
from core.listing import resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.webhooks.service import WebhookService
from zapier.hooks.schemas import HookCreate, HookOut
from zapier.hooks.service import HookService, hook_view

router = APIRouter(prefix="/v1/hooks", tags=["Zapier"])


async def hook_service(request: Request) -> HookService:
    services = services_of(request)
    return HookService(WebhookService(services.settings, services.secrets, services.event_catalog))


Hooks = Annotated[HookService, Depends(hook_service)]
Writer = Annotated[Principal, require("webhooks:write")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No REST hook with this id in the workspace."}
}


@router.post(
    "",
    response_model=HookOut,
    status_code=201,
    summary="Subscribe a REST hook (Zapier's subscribe call)",
    description=(
        "Creates a webhook subscription for `event` delivering to `targetUrl`: signed, "
        "retried, and switched off when the target answers 410, like any webhook."
    ),
)
async def subscribe(
    session: Session, principal: Writer, hooks: Hooks, body: HookCreate
) -> JsonResponse:
    webhook = await hooks.subscribe(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(HookOut, hook_view(webhook), status_code=201)


@router.delete(
    "/{hook_id}",
    status_code=204,
    summary="Unsubscribe a REST hook (Zapier's unsubscribe call)",
    responses=_NOT_FOUND,
)
async def unsubscribe(session: Session, principal: Writer, hooks: Hooks, hook_id: str) -> Response:
    await hooks.unsubscribe(session, workspace_id=principal.workspace_id, hook_id=hook_id)
    return Response(status_code=204)
