from __future__ import annotations

from datetime import datetime

from pydantic import Field

from core.schemas import ApiModel, Resource


class AuthorizedApp(ApiModel):
    id: str = Field(examples=["app_4x2k9m1q8w4e6r5t0y3z"])
    name: str = Field(examples=["Acme CRM"])
    logo_url: str | None = None
    website: str | None = None


class AuthorizationOut(Resource):
    id: str = Field(examples=["auth_4x2k9m1q8w4e6r5t0y3z"])
    app: AuthorizedApp
    scopes: list[str] = Field(examples=[["leads:read"]])
    workspace_id: str
    created_at: datetime
    updated_at: datetime
