"""Authentication as core and its plugins share it.

- :class:`Principal` is who is calling, resolved once per request from the bearer credential
  (by core for API keys, by a plugin's authenticator for other tokens).
- Bearer tokens that are not API keys (OAuth access tokens, user tokens) are checked by
  the :class:`TokenAuthenticator` objects plugins register (``hubwire_token_authenticators``).
- The OAuth 2.0 client side of a connection (consent URL, code exchange, refresh) is the
  :class:`ProviderOAuth` a plugin hands over (``hubwire_provider_oauth``); the ``oauth``
  package provides one built on Authlib, so core depends only on this interface."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from core.errors import HubwireError

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


class TokenAuthenticator(Protocol):
    async def authenticate(self, token: str, ip: str | None) -> Principal | None:
        """The principal of ``token``; None when the token is not one this authenticator
        issues. Raises ``Unauthorized`` for its own tokens that are revoked or expired."""
        ...


# How the client authenticates at the token endpoint (RFC 6749 §2.3): credentials in the
# form body, which every provider Hubwire ships accepts (HubSpot requires it).
DEFAULT_TOKEN_AUTH_METHOD = "client_secret_post"  # noqa: S105 - a method name


@dataclass(frozen=True, slots=True)
class OAuthClientConfig:
    """Hubwire's app at one provider, with the endpoints resolved for this connection."""

    client_id: str
    client_secret: str = field(repr=False)
    authorize_url: str
    token_url: str
    redirect_uri: str
    scopes: Sequence[str] = ()
    token_endpoint_auth_method: str = DEFAULT_TOKEN_AUTH_METHOD


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """Where to send the user for consent. ``state`` and ``code_verifier`` are secrets of this
    flow: core keeps a hash of the state and the verifier sealed until the callback."""

    url: str = field(repr=False)  # carries the state
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """What the token endpoint granted. ``refresh_token`` is None when the provider did not
    send one (keep the previous one); ``expires_at`` is None for tokens that do not expire."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    # The answer's other string fields (``api_domain``, ``instance_url``…), tokens excluded;
    # a connector's ``OAuth2Auth.token_fields`` says which to keep.
    extra: Mapping[str, str] = field(default_factory=dict)


class ProviderTokenError(HubwireError):
    """The provider's token endpoint refused or could not be reached.

    ``permanent``: retrying the same request cannot help (``invalid_grant``: a revoked or
    already used refresh token, a bad code, wrong client credentials); otherwise it is
    transient (the provider is down, rate limited, timed out)."""

    def __init__(self, message: str, *, permanent: bool, error: str | None = None) -> None:
        super().__init__(message, details={"providerError": error} if error else {})
        self.permanent = permanent
        self.error = error
        if permanent:
            self.code, self.status = "INVALID_REQUEST", 400
        else:
            self.code, self.status = "SERVICE_UNAVAILABLE", 503
            self.headers = {"Retry-After": "5"}


class ProviderOAuth(Protocol):
    """The OAuth 2.0 client (authorization code grant with PKCE S256, refresh)."""

    async def authorization_request(self, client: OAuthClientConfig) -> AuthorizationRequest:
        """A fresh ``state`` and PKCE ``code_verifier``, and the provider's consent URL
        carrying the client id, redirect URI, scopes, state and S256 code challenge."""
        ...

    async def exchange_code(
        self, client: OAuthClientConfig, *, code: str, code_verifier: str | None
    ) -> TokenSet:
        """Trades the callback's ``code`` (with the PKCE verifier) for tokens; raises
        :class:`ProviderTokenError`."""
        ...

    async def refresh(self, client: OAuthClientConfig, *, refresh_token: str) -> TokenSet:
        """A new access token for ``refresh_token``; raises :class:`ProviderTokenError`."""
        ...
