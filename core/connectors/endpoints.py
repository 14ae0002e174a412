from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response

from core.connectors.inbound import InboundWebhookService
from core.connectors.schemas import ConnectorCatalogOut, InboundWebhookOut, WebhookUrlOut
from core.connectors.service import connectors
from core.deps import Session, require, services_of
from core.plugins.auth import Principal

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


@router.get(
    "/{slug}/webhooks",
    response_model=WebhookUrlOut,
    summary="Answer a provider checking the webhook URL",
    description=(
        "Some providers (Mailchimp) send a GET to a webhook URL before they register it and "
        "refuse URLs that do not answer 200. No API key; nothing changes."
    ),
)
async def check_provider_webhook_url(slug: str, request: Request) -> WebhookUrlOut:
    return WebhookUrlOut(
        connector=InboundWebhookService(services_of(request).settings).endpoint(slug)
    )


@router.post(
    "/{slug}/webhooks",
    status_code=202,
    response_model=InboundWebhookOut,
    responses={
        200: {
            "description": "Accepted, for providers that require 200 (Xero's handshake).",
            "model": InboundWebhookOut,
        },
        401: {"description": "The provider's signature did not verify."},
    },
    summary="Receive a provider's webhook",
    description=(
        "Where a provider (HubSpot…) posts change notifications for Hubwire's app. No API key: "
        "the request must carry the provider's signature, checked with Hubwire's client "
        "secret at that provider. Changes are routed to the connections of the account they "
        "are about: updates start an incremental pull, deletions are applied. A delivery "
        "whose provider event ids were all received before is acknowledged and ignored."
    ),
)
async def receive_provider_webhook(
    slug: str, request: Request, response: Response, session: Session
) -> InboundWebhookOut:
    result = await InboundWebhookService(services_of(request).settings).receive(
        session,
        slug=slug,
        # With its query: signatures may cover it, and some providers' URLs carry a key.
        path=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        headers=dict(request.headers),
        body=await request.body(),
    )
    response.status_code = result.status
    return InboundWebhookOut(
        received=result.received, connections=result.connections, duplicate=result.duplicate
    )
