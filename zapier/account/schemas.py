from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.schemas import ApiModel


class ZapierMe(ApiModel):
    """Who a credential acts for; Zapier's connection test and connection label."""

    id: str = Field(
        description="The user behind the credential, else the credential (app or key) itself.",
        examples=["usr_4x2k9m1q8w4e6r5t0y3z"],
    )
    credential: Literal["api_key", "oauth_app", "user"]
    user_id: str | None = Field(examples=["usr_4x2k9m1q8w4e6r5t0y3z"])
    role: str | None = Field(examples=["owner"])
    workspace_id: str = Field(examples=["ws_4x2k9m1q8w4e6r5t0y3z"])
    workspace_slug: str = Field(examples=["acme"])
    workspace_name: str = Field(examples=["Acme Inc."])
    scopes: list[str] = Field(examples=[["leads:read", "leads:write"]])
    label: str = Field(
        description="A short name for the connection.", examples=["Acme Inc. (acme)"]
    )
