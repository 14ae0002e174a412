"""Partner webhooks: one subscription, owned by the partner, that receives the events of
every workspace the partner manages (docs/partners.md, "Partner webhooks").

The subscriptions are the workspace API's (``core.webhooks``: the same validation, secrets,
deliveries, retries and isolation); only the owner differs, so these routes are thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from core.deps import ReadSession, Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.partners.service import partner_of
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page
from core.webhooks.endpoints import INACTIVE_RESPONSES, NOT_FOUND_RESPONSES, Webhooks
from core.webhooks.repository import WebhookOwner
from core.webhooks.schemas import (
    DeliveryDetail,
    DeliveryFilters,
    DeliveryOut,
    RecoverInput,
    RecoverOut,
    WebhookCreate,
    WebhookFilters,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
    WebhookWithSecret,
    delivery_filters,
    webhook_filters,
)
from core.webhooks.service import webhook_view

router = APIRouter(prefix="/v1/partner/webhooks", tags=["Partners"])

Reader = Annotated[Principal, require("partner:read")]
Writer = Annotated[Principal, require("partner:write")]
SecretWriter = Annotated[Principal, require("partner:write", returns_secret=True)]


def owner_of(principal: Principal) -> WebhookOwner:
    """The calling partner: a workspace key (or a partner acting in a workspace through
    ``Hubwire-Workspace``) is refused, so a partner subscription is never a workspace's."""
    return WebhookOwner(partner_id=partner_of(principal))


@router.get(
    "",
    response_model=Page[WebhookOut],
    summary="List the partner's webhook subscriptions",
)
async def list_partner_webhooks(
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
    summary="Subscribe a URL to the events of every managed workspace (the response carries "
    "the signing secret)",
    description="One subscription for all the workspaces the partner manages, those created "
    "later included; each event names its `workspaceId`. Events of a suspended workspace are "
    "not delivered to it.",
)
async def create_partner_webhook(
    session: Session, principal: SecretWriter, webhooks: Webhooks, body: WebhookCreate
) -> JsonResponse:
    webhook, secret = await webhooks.create(session, owner=owner_of(principal), data=body)
    view = {**webhook_view(webhook, webhooks.settings), "secret": secret}
    return resource_response(WebhookWithSecret, view, status_code=201)


@router.get(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="Get a partner webhook",
    responses=NOT_FOUND_RESPONSES,
)
async def get_partner_webhook(
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
    summary="Update a partner webhook (`active=true` re-enables it)",
    responses=NOT_FOUND_RESPONSES,
)
async def update_partner_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, body: WebhookUpdate
) -> JsonResponse:
    webhook = await webhooks.update(
        session, owner=owner_of(principal), webhook_id=webhook_id, data=body
    )
    return resource_response(WebhookOut, webhook_view(webhook, webhooks.settings))


@router.delete(
    "/{webhook_id}",
    status_code=204,
    summary="Delete a partner webhook",
    responses=NOT_FOUND_RESPONSES,
)
async def delete_partner_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str
) -> Response:
    await webhooks.delete(session, owner=owner_of(principal), webhook_id=webhook_id)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/secret",
    response_model=WebhookSecretOut,
    summary="Reveal a partner webhook's signing secret",
    responses=NOT_FOUND_RESPONSES,
)
async def get_partner_webhook_secret(
    session: Session, principal: SecretWriter, webhooks: Webhooks, webhook_id: str
) -> JsonResponse:
    webhook = await webhooks.get(session, owner=owner_of(principal), webhook_id=webhook_id)
    return resource_response(WebhookSecretOut, webhooks.secret_view(webhook))


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookSecretOut,
    summary="Rotate a partner webhook's signing secret (the old one signs alongside it for a "
    "while)",
    responses=NOT_FOUND_RESPONSES,
)
async def rotate_partner_webhook_secret(
    session: Session, principal: SecretWriter, webhooks: Webhooks, webhook_id: str
) -> JsonResponse:
    webhook = await webhooks.rotate_secret(
        session, owner=owner_of(principal), webhook_id=webhook_id
    )
    return resource_response(WebhookSecretOut, webhooks.secret_view(webhook))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="List a partner webhook's deliveries (each names its workspace)",
    responses=NOT_FOUND_RESPONSES,
)
async def list_partner_webhook_deliveries(
    session: ReadSession,
    principal: Reader,
    webhooks: Webhooks,
    webhook_id: str,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[DeliveryFilters, Depends(delivery_filters)],
) -> JsonResponse:
    page = await webhooks.deliveries(
        session, owner=owner_of(principal), webhook_id=webhook_id, filters=filters, params=params
    )
    return page_response(DeliveryOut, page, params.fields)


@router.get(
    "/{webhook_id}/deliveries/{delivery_id}",
    response_model=DeliveryDetail,
    summary="Get a partner webhook's delivery with its payload and every attempt",
    responses=NOT_FOUND_RESPONSES,
)
async def get_partner_webhook_delivery(
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
    summary="Send a partner webhook's delivery again now",
    responses={**NOT_FOUND_RESPONSES, **INACTIVE_RESPONSES},
)
async def retry_partner_webhook_delivery(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, delivery_id: str
) -> JsonResponse:
    delivery = await webhooks.retry(
        session, owner=owner_of(principal), webhook_id=webhook_id, delivery_id=delivery_id
    )
    return resource_response(DeliveryOut, delivery)


@router.post(
    "/{webhook_id}/recover",
    response_model=RecoverOut,
    summary="Re-send every dead delivery of a partner webhook created since a time",
    responses={**NOT_FOUND_RESPONSES, **INACTIVE_RESPONSES},
)
async def recover_partner_webhook(
    session: Session, principal: Writer, webhooks: Webhooks, webhook_id: str, body: RecoverInput
) -> JsonResponse:
    count = await webhooks.recover(
        session, owner=owner_of(principal), webhook_id=webhook_id, data=body
    )
    return JsonResponse({"recovered": count})
