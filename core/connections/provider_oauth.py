"""The OAuth 2.0 client side of a connection, as core sees it: build the provider's consent
URL, exchange the code, refresh the access token.

Core does not speak OAuth to providers itself: the ``oauth`` package implements
:class:`ProviderOAuth` (with Authlib's client) and hands it over through the
``hubwire_provider_oauth`` hook, so core depends only on this interface."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit, urlunsplit

from core.errors import HubwireError, ServiceUnavailable
from core.settings import ConnectorClient, Settings

if TYPE_CHECKING:
    from connectors.kit import Connector

CALLBACK_PATH = "/v1/connections/callback"

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


class NoProviderOAuth(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(
            "No OAuth client is installed (the `oauth` extension provides it); OAuth "
            "connectors cannot connect."
        )


def provider_oauth() -> ProviderOAuth:
    """The installed OAuth client (the ``hubwire_provider_oauth`` hook: first result wins)."""
    from connectors.manager import plugin_manager  # the plugin manager is core's one door in

    client: ProviderOAuth | None = plugin_manager().hook.hubwire_provider_oauth()
    if client is None:
        raise NoProviderOAuth()
    return client


# --- where a connector's provider is (the design note "Provider endpoints resolution") ------


def resolve_client(settings: Settings, connector: Connector) -> ConnectorClient | None:
    """Hubwire's app at the connector's provider: ``HUBWIRE_CONNECTOR_CLIENTS[slug]``, else
    (with ``HUBWIRE_SANDBOXES``) the connector's sandbox mounted at ``/sandbox/<slug>``."""
    slug = connector.manifest.slug
    client = settings.connector_clients.get(slug)
    if client is not None:
        return client
    sandbox = connector.sandbox() if settings.sandboxes else None
    if sandbox is None:
        return None
    return ConnectorClient(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        base_url=f"{settings.public_base_url.rstrip('/')}/sandbox/{slug}",
    )


def app_credentials(client: ConnectorClient | None) -> dict[str, str]:
    """Hubwire's app at the provider as credentials (``client_id``, ``client_secret``):
    an OAuth connection's context carries them beside its tokens, for the provider calls
    that authenticate the app too (HubSpot's token introspection). Never sealed."""
    if client is None:
        return {}
    return {"client_id": client.client_id, "client_secret": client.client_secret}


def reroot(url: str, base_url: str) -> str:
    """``url``'s path and query under ``base_url`` (the provider's endpoint on a sandbox)."""
    target, base = urlsplit(url), urlsplit(base_url)
    return urlunsplit(
        (base.scheme, base.netloc, base.path.rstrip("/") + target.path, target.query, "")
    )


def oauth_endpoints(connector: Connector, client: ConnectorClient) -> tuple[str, str]:
    """(authorize URL, token URL) of an OAuth 2.0 connector for this client."""
    auth = connector.manifest.auth
    authorize_url: str = getattr(auth, "authorize_url", "")
    token_url: str = getattr(auth, "token_url", "")
    if client.base_url:
        return reroot(authorize_url, client.base_url), reroot(token_url, client.base_url)
    return authorize_url, token_url


def oauth_client_config(
    settings: Settings,
    connector: Connector,
    client: ConnectorClient,
    *,
    token_url: str | None = None,
) -> OAuthClientConfig:
    authorize_url, default_token_url = oauth_endpoints(connector, client)
    auth = connector.manifest.auth
    return OAuthClientConfig(
        client_id=client.client_id,
        client_secret=client.client_secret,
        authorize_url=authorize_url,
        token_url=token_url or default_token_url,
        redirect_uri=settings.public_base_url.rstrip("/") + CALLBACK_PATH,
        scopes=tuple(getattr(auth, "scopes", ())),
        token_endpoint_auth_method=getattr(
            auth, "token_endpoint_auth_method", DEFAULT_TOKEN_AUTH_METHOD
        ),
    )
