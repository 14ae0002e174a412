"""Who is calling: resolved once per request from the bearer credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# `api_key`: a partner's key; `oauth_app`: a third-party app's OAuth access token, counted
# and rate-limited per app; `user`: a person logged in to a workspace (dashboard tokens).
PrincipalKind = Literal["api_key", "oauth_app", "user"]


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str
    workspace_id: str
    client_id: str | None
    scopes: frozenset[str]
    tier: str
    rate_limit_override: int | None
    environment: str
    # The workspace role (`owner`, `admin`, `member`) of the person behind the credential:
    # set for user tokens and for OAuth tokens a user consented to; None for API keys.
    role: str | None = None
    user_id: str | None = None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
