from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from core.deps import ReadSession, Session, on_loop, require, services_of
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page
from core.webhooks.repository import WebhookOwner
from core.webhooks.schemas import (
    DeliveryDetail,
    DeliveryFilters,
    DeliveryOut,
    RecoverInput,
    RecoverOut,
    TestResult,
    WebhookCreate,
    WebhookFilters,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
    WebhookWithSecret,
    delivery_filters,
    webhook_filters,
)
from core.webhooks.service import WebhookService, webhook_view

router = APIRouter(prefix="/v1/webhooks", tags=["Webhooks"])


def webhook_service(request: Request) -> WebhookService:
    services = services_of(request)
    return WebhookService(services.settings, services.secrets, services.event_catalog)


def owner_of(principal: Principal) -> WebhookOwner:
    """The caller's workspace (a partner acting in one through ``Hubwire-Workspace`` too)."""
    return WebhookOwner(workspace_id=principal.workspace_id)


Webhooks = Annotated[WebhookService, Depends(on_loop(webhook_service))]
Reader = Annotated[Principal, require("webhooks:read")]
Writer = Annotated[Principal, require("webhooks:write")]
# Routes whose response carries a signing secret: an idempotent replay must not store it.
SecretWriter = Annotated[Principal, require("webhooks:write", returns_secret=True)]
NOT_FOUND_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "The webhook (or delivery) does not exist."}
}
INACTIVE_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"description": "The webhook is disabled."}
}


@router.get("", response_model=Page[WebhookOut], summary="List webhook subscriptions")
async def list_webhooks(
    session: ReadSession,
    principal: Reader,
    webhooks: Webhooks,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[WebhookFilters, Depends(webhook_filters)],
) -> JsonResponse:
    page = await webhooks.list(session, owner=owner_of(principal), filters=filters, params=params)
    return page_response(WebhookOut, page, params.fields)


@router.post(
    "",
    response_model=WebhookWithSecret,
    status_code=201,
    summary="Subscribe a URL to events (the response carries the signing secret)",
)
async def create_webhook(
    session: Session, principal: SecretWriter, webhooks: Webhooks, body: WebhookCreate
) -> JsonResponse:
    webhook, secret = await webhooks.create(session, owner=owner_of(principal), data=body)
    view = {**webhook_view(webhook, webhooks.settings), "secret": secret}
    return resource_response(WebhookWithSecret, view, status_code=201)


@router.get(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="Get a webhook",
    responses=NOT_FOUND_RESPONSES,
)
async def get_webhook(
    session: ReadSession,
    principal: Reader,
    webhooks: Webhooks,
    webhook_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    webhook = await webhooks.get(session, owner=owner_of(principal), webhook_id=webhook_id)
    return resource_response(WebhookOut, webhook_view(webhook, webhooks.settings), fields)


@router.patch(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="Update a webhook (`active=true` re-enables it)",
    responses=NOT_FOUND_RESPONSES,
)
async def update_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, body: WebhookUpdate
) -> JsonResponse:
    webhook = await webhooks.update(
        session, owner=owner_of(principal), webhook_id=webhook_id, data=body
    )
    return resource_response(WebhookOut, webhook_view(webhook, webhooks.settings))


@router.delete(
    "/{webhook_id}", status_code=204, summary="Delete a webhook", responses=NOT_FOUND_RESPONSES
)
async def delete_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str
) -> Response:
    await webhooks.delete(session, owner=owner_of(principal), webhook_id=webhook_id)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/secret",
    response_model=WebhookSecretOut,
    summary="Reveal the signing secret (and the previous one during a rotation)",
    responses=NOT_FOUND_RESPONSES,
)
async def get_webhook_secret(
    session: Session, principal: SecretWriter, webhooks: Webhooks, webhook_id: str
) -> JsonResponse:
    webhook = await webhooks.get(session, owner=owner_of(principal), webhook_id=webhook_id)
    return resource_response(WebhookSecretOut, webhooks.secret_view(webhook))


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookSecretOut,
    summary="Rotate the signing secret; the old one keeps signing alongside for the overlap",
    responses=NOT_FOUND_RESPONSES,
)
async def rotate_webhook_secret(
    session: Session, principal: SecretWriter, webhooks: Webhooks, webhook_id: str
) -> JsonResponse:
    webhook = await webhooks.rotate_secret(
        session, owner=owner_of(principal), webhook_id=webhook_id
    )
    return resource_response(WebhookSecretOut, webhooks.secret_view(webhook))


@router.post(
    "/{webhook_id}/test",
    response_model=TestResult,
    summary="Send a `webhook.test` event now and return the attempt",
    responses=NOT_FOUND_RESPONSES,
)
async def test_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str
) -> JsonResponse:
    result = await webhooks.send_test(
        session, workspace_id=principal.workspace_id, webhook_id=webhook_id
    )
    return resource_response(TestResult, result)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="List a webhook's deliveries (status, attempts, response code, next retry)",
    responses=NOT_FOUND_RESPONSES,
)
async def list_deliveries(
    session: ReadSession,
    principal: Reader,
    webhooks: Webhooks,
    webhook_id: str,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[DeliveryFilters, Depends(delivery_filters)],
) -> JsonResponse:
    page = await webhooks.deliveries(
        session,
        owner=owner_of(principal),
        webhook_id=webhook_id,
        filters=filters,
        params=params,
    )
    return page_response(DeliveryOut, page, params.fields)


@router.get(
    "/{webhook_id}/deliveries/{delivery_id}",
    response_model=DeliveryDetail,
    summary="Get a delivery with its payload and every attempt",
    responses=NOT_FOUND_RESPONSES,
)
async def get_delivery(
    session: ReadSession,
    principal: Reader,
    webhooks: Webhooks,
    webhook_id: str,
    delivery_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    delivery = await webhooks.delivery(
        session, owner=owner_of(principal), webhook_id=webhook_id, delivery_id=delivery_id
    )
    return resource_response(DeliveryDetail, delivery, fields)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/retry",
    response_model=DeliveryOut,
    summary="Send a delivery again now (replays a dead letter)",
    responses={**NOT_FOUND_RESPONSES, **INACTIVE_RESPONSES},
)
async def retry_delivery(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, delivery_id: str
) -> JsonResponse:
    delivery = await webhooks.retry(
        session, owner=owner_of(principal), webhook_id=webhook_id, delivery_id=delivery_id
    )
    return resource_response(DeliveryOut, delivery)


@router.post(
    "/{webhook_id}/recover",
    response_model=RecoverOut,
    summary="Re-send every dead delivery created since a time",
    responses={**NOT_FOUND_RESPONSES, **INACTIVE_RESPONSES},
)
async def recover_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, body: RecoverInput
) -> JsonResponse:
    count = await webhooks.recover(
        session, owner=owner_of(principal), webhook_id=webhook_id, data=body
    )
    return JsonResponse({"recovered": count})
