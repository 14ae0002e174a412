"""The connector catalog as the public API shows it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from core.schemas import ApiModel

_EXAMPLE: dict[str, Any] = {
    "slug": "hubspot",
    "title": "HubSpot",
    "description": "Keeps HubSpot contacts and deals in step with Hubwire leads.",
    "auth": {
        "type": "oauth2",
        "authorizeUrl": "https://app.hubspot.com/oauth/authorize",
        "tokenUrl": "https://api.hubapi.com/oauth/v1/token",
        "scopes": ["crm.objects.contacts.read", "crm.objects.contacts.write"],
        "header": None,
    },
    "events": ["lead.created", "lead.updated"],
    "objects": [
        {
            "name": "contact",
            "direction": "both",
            "description": "Leads as HubSpot contacts.",
            "hubObject": "lead",
        }
    ],
    "rateLimits": [{"requests": 100, "windowSeconds": 10, "per": "connection"}],
    "webhooks": True,
}


class ConnectorAuthOut(ApiModel):
    type: Literal["oauth2", "api_key"] = Field(
        description="`oauth2`: the user consents at the provider; `api_key`: the user pastes a key."
    )
    authorize_url: str | None = Field(None, description="OAuth 2.0 only.")
    token_url: str | None = Field(None, description="OAuth 2.0 only.")
    scopes: list[str] = Field(default_factory=list, description="Scopes Hubwire asks for.")
    header: str | None = Field(None, description="API keys only: where the key is sent.")


class ConnectorObjectOut(ApiModel):
    name: str = Field(examples=["contact"])
    direction: Literal["push", "pull", "both"] = Field(
        description="`push`: Hubwire to the provider; `pull`: the provider to Hubwire."
    )
    description: str = ""
    hub_object: Literal["lead", "call", "appointment", "payment"] = Field(
        description="The Hubwire resource this provider object mirrors."
    )


class ConnectorRateLimitOut(ApiModel):
    requests: int = Field(examples=[100])
    window_seconds: int = Field(examples=[10])
    per: Literal["connection", "app"] = Field(
        description="`connection`: per provider account; `app`: shared by all of Hubwire."
    )


class ConnectorOut(ApiModel):
    slug: str = Field(examples=["hubspot"])
    title: str
    description: str
    auth: ConnectorAuthOut
    events: list[str] = Field(description="The Hubwire event types the connector subscribes to.")
    objects: list[ConnectorObjectOut]
    rate_limits: list[ConnectorRateLimitOut] = Field(description="The provider's limits.")
    webhooks: bool = Field(description="Whether the provider's inbound webhooks are supported.")

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}


class ConnectorCatalogOut(ApiModel):
    data: list[ConnectorOut]

    model_config = {"json_schema_extra": {"examples": [{"data": [_EXAMPLE]}]}}


class WebhookUrlOut(ApiModel):
    connector: str = Field(examples=["mailchimp"])


class InboundWebhookOut(ApiModel):
    received: int = Field(description="Changes the webhook reported.")
    connections: int = Field(description="Connections of that provider account it reached.")
    duplicate: bool = Field(
        default=False,
        description="Every event of the delivery had been received before (the provider "
        "sent it again): acknowledged, nothing done.",
    )
