from __future__ import annotations

import string
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic.config import JsonDict

from core.auth.scopes import unknown_scopes
from core.ratelimit.policy import Tier
from core.schemas import ApiInput, Resource, WebUrl

ClientType = Literal["confidential", "public"]
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


# What RFC 3986 lets a URI hold; anything else is percent-encoded (`"` is %22).
_URI_CHARACTERS = frozenset(
    string.ascii_letters + string.digits + "-._~" + ":/?#[]@" + "!$&'()*+,;=" + "%"
)


def _check_redirect_uri(uri: str) -> str:
    # Stored verbatim: authorization requests must repeat it exactly (RFC 9700 §2.1), and
    # it goes out in a Location header, which cannot carry a control character.
    if not set(uri) <= _URI_CHARACTERS:
        raise ValueError(
            "a redirect URI holds only URI characters: percent-encode spaces, quotes, "
            "backslashes, control and non-ASCII characters"
        )
    parts = urlsplit(uri)
    if parts.fragment or "#" in uri:
        raise ValueError("a redirect URI has no fragment")
    if parts.scheme == "https" and parts.hostname:
        return uri
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return uri
    if parts.scheme not in ("http", "https", "javascript", "data", "file", "") and parts.path:
        return uri  # a native app's private-use scheme (com.example.app:/callback)
    raise ValueError("use https, http on a loopback address, or an app's private scheme")


def _check_redirect_uris(uris: list[str] | None) -> list[str] | None:
    if uris is None:
        return None
    return [_check_redirect_uri(uri) for uri in dict.fromkeys(uris)]


def _check_scopes(scopes: list[str] | None) -> list[str] | None:
    if scopes is None:
        return None
    unknown = unknown_scopes(scopes)
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
    return sorted(set(scopes))


# `allowedScopes` was the field's first name; API clients and keys say `scopes`. The old name
# is accepted (and returned) until the next major version, marked deprecated in the spec.
_DEPRECATED_SCOPES: JsonDict = {
    "deprecated": True,
    "description": "Deprecated: the old name of `scopes`, accepted and returned until the "
    "next major version. Send `scopes`.",
}
_SCOPES = "The scopes a user may grant the app."


def _same_scopes(a: Any, b: Any) -> bool:
    def names(value: Any) -> set[str] | None:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return set(value)
        return None

    return names(a) is not None and names(a) == names(b)


def _scopes_by_either_name(data: Any) -> Any:
    """Moves the deprecated ``allowedScopes`` to ``scopes`` before validation (both sent must
    agree), so the one field is validated and stored."""
    if not isinstance(data, dict):
        return data
    old_key = next((k for k in ("allowedScopes", "allowed_scopes") if k in data), None)
    if old_key is None:
        return data
    data = dict(data)
    old = data.pop(old_key)
    new = data.get("scopes")
    if new is not None and not _same_scopes(old, new):
        raise ValueError(
            "scopes and allowedScopes disagree: send scopes only (allowedScopes is its "
            "deprecated name)"
        )
    data["scopes"] = old
    return data


class OAuthAppCreate(ApiInput):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    client_type: ClientType = "confidential"
    redirect_uris: list[str] = Field(min_length=1, max_length=20)
    scopes: list[str] = Field(min_length=1, max_length=50, description=_SCOPES)
    allowed_scopes: list[str] | None = Field(
        default=None, min_length=1, max_length=50, json_schema_extra=_DEPRECATED_SCOPES
    )
    logo_url: WebUrl | None = None
    website: WebUrl | None = None
    rate_limit_tier: Tier = "basic"

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Acme CRM",
                    "clientType": "confidential",
                    "redirectUris": ["https://acme.example/oauth/callback"],
                    "scopes": ["leads:read", "leads:write"],
                    "website": "https://acme.example",
                }
            ]
        }
    }

    _uris = field_validator("redirect_uris")(_check_redirect_uris)
    _scopes = field_validator("scopes")(_check_scopes)
    _old_scopes = model_validator(mode="before")(_scopes_by_either_name)


class OAuthAppUpdate(ApiInput):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    redirect_uris: list[str] | None = Field(default=None, min_length=1, max_length=20)
    scopes: list[str] | None = Field(default=None, min_length=1, max_length=50, description=_SCOPES)
    allowed_scopes: list[str] | None = Field(
        default=None, min_length=1, max_length=50, json_schema_extra=_DEPRECATED_SCOPES
    )
    logo_url: WebUrl | None = None
    website: WebUrl | None = None
    rate_limit_tier: Tier | None = None
    status: Literal["active", "suspended"] | None = None

    model_config = {
        "json_schema_extra": {"examples": [{"name": "Acme CRM (v2)", "scopes": ["leads:read"]}]}
    }

    _uris = field_validator("redirect_uris")(_check_redirect_uris)
    _scopes = field_validator("scopes")(_check_scopes)
    _old_scopes = model_validator(mode="before")(_scopes_by_either_name)


class OAuthAppOut(Resource):
    id: str = Field(examples=["app_4x2k9m1q8w4e6r5t0y3z"])
    client_id: str = Field(description="The OAuth `client_id` (the app id).")
    name: str
    description: str | None = None
    client_type: ClientType
    redirect_uris: list[str]
    scopes: list[str] = Field(description=_SCOPES)
    allowed_scopes: list[str] = Field(json_schema_extra=_DEPRECATED_SCOPES)
    logo_url: str | None = None
    website: str | None = None
    rate_limit_tier: Tier
    status: Literal["active", "suspended"]
    created_at: datetime
    updated_at: datetime


class OAuthAppWithSecret(OAuthAppOut):
    client_secret: str | None = Field(
        default=None,
        description="Shown only here (confidential apps); only a digest is stored.",
        examples=["hwcs_Qm9vdGhlcyBhcmUgZ3JlYXQ"],
    )
