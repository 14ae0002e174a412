"""The OAuth 2.0 client side of a connection, as core sees it: build the provider's consent
URL, exchange the code, refresh the access token.

Core does not speak OAuth to providers itself: the ``oauth`` package implements
:class:`ProviderOAuth` (with Authlib's client) and hands it over through the
``hubwire_provider_oauth`` hook, so core depends only on this interface."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from core.errors import ServiceUnavailable
from core.plugins.auth import (
    DEFAULT_TOKEN_AUTH_METHOD,
    OAuthClientConfig,
    ProviderOAuth,
    TokenSet,
)
from core.plugins.connector import Connector
from core.plugins.manager import plugin_manager
from core.settings import ConnectorClient, Settings

CALLBACK_PATH = "/v1/connections/callback"


class NoProviderOAuth(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(
            "No OAuth client is installed (the `oauth` extension provides it); OAuth "
            "connectors cannot connect."
        )


def provider_oauth() -> ProviderOAuth:
    """The installed OAuth client (the ``hubwire_provider_oauth`` hook: first result wins)."""
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
        signing_secret=sandbox.signing_secret or "",
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


def token_settings(connector: Connector, tokens: TokenSet) -> dict[str, str]:
    """The fields of a token answer the connector keeps in the connection's settings
    (``OAuth2Auth.token_fields``: Pipedrive's ``api_domain``)."""
    wanted = getattr(connector.manifest.auth, "token_fields", ())
    return {name: tokens.extra[name] for name in wanted if name in tokens.extra}


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
