from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from core.schemas import ApiInput, ApiModel, Resource

Role = Literal["owner", "admin", "member"]


class LoginRequest(ApiInput):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)

    model_config = {
        "json_schema_extra": {
            "examples": [{"email": "owner@acme.example", "password": "correct horse battery"}]
        }
    }


class RefreshRequest(ApiInput):
    refresh_token: str = Field(min_length=1, max_length=512)

    model_config = {"json_schema_extra": {"examples": [{"refreshToken": "hwu_rt_2YotnFZFEjr1"}]}}


class ChangePasswordRequest(ApiInput):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=12, max_length=1024)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"currentPassword": "correct horse battery", "newPassword": "a longer passphrase"}
            ]
        }
    }


class UserOut(Resource):
    id: str = Field(examples=["usr_4x2k9m1q8w4e6r5t0y3z"])
    workspace_id: str = Field(examples=["ws_4x2k9m1q8w4e6r5t0y3z"])
    email: str = Field(examples=["owner@acme.example"])
    name: str | None = None
    role: Role
    is_super_admin: bool = False
    created_at: datetime
    last_login_at: datetime | None = None


class MeOut(UserOut):
    """The person a credential acts for, with what this credential may do for them."""

    workspace_slug: str = Field(examples=["acme"])
    workspace_name: str = Field(examples=["Acme Inc."])
    scopes: list[str] = Field(
        description="The scopes of this credential (an OAuth token: those the user granted).",
        examples=[["leads:read", "leads:write"]],
    )
    label: str = Field(
        description="A short name for a connection made with this credential.",
        examples=["Acme Inc. (acme)"],
    )


class TokenResponse(ApiModel):
    access_token: str = Field(examples=["hwu_at_2YotnFZFEjr1zCsicMWpAA"])
    refresh_token: str = Field(examples=["hwu_rt_tGzv3JOkF0XG5Qx2TlKWIA"])
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_in: int = Field(examples=[3600])
    user: UserOut
