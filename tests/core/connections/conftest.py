"""Fixtures of the connections tests: the example API-key connector and the HubSpot sandbox,
each served over loopback, and the OAuth consent as a browser would click through it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from connectors.hubspot.connector import SCOPES
from connectors.hubspot.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    create_sandbox,
)
from core.connections.credentials import seal_credentials
from core.connections.models import Connection
from core.container import Services
from core.database import utcnow
from core.plugins.auth import OAuthClientConfig
from core.plugins.manager import plugin_manager
from core.settings import ConnectorClient
from oauth.provider_client import AuthlibProviderOAuth
from tests.conftest import Api, Tenant
from tests.connectors.example import ExamplePlugin, sandbox_app
from tests.support.live_server import serve_asgi

DONE_URL = "https://app.example/integrations/done?tab=crm"


@dataclass
class ProviderSandbox:
    url: str
    app: FastAPI

    async def stats(self) -> dict[str, int]:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{self.url}/_sandbox/stats")
        response.raise_for_status()
        stats: dict[str, int] = response.json()
        return stats


@pytest.fixture
def example_crm(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The example API-key connector installed, its sandbox served and configured as the
    connector's API root; yields the sandbox URL."""
    plugin = ExamplePlugin()
    plugin_manager().register(plugin)
    try:
        with serve_asgi(sandbox_app()) as url:
            monkeypatch.setitem(
                services.settings.connector_clients, "example_crm", ConnectorClient(base_url=url)
            )
            yield url
    finally:
        plugin_manager().unregister(plugin)


@pytest.fixture
def hubspot(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProviderSandbox]:
    """A HubSpot sandbox with single-use refresh tokens, configured as Hubwire's HubSpot app."""
    app = create_sandbox(SandboxConfig(rotate_refresh_tokens=True, search_index_lag=0))
    with serve_asgi(app) as url:
        client = ConnectorClient(
            client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, base_url=url
        )
        monkeypatch.setitem(services.settings.connector_clients, "hubspot", client)
        yield ProviderSandbox(url, app)


async def consent(authorize_url: str, *, approve: bool = True) -> str:
    """Opens the provider's consent page and presses Approve (or Deny) like a browser;
    returns the path and query of the redirect back to Hubwire's callback."""
    async with httpx.AsyncClient() as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        fields = {
            k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', page.text)
        }
        match = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert match is not None, page.text
        decided = await browser.post(
            html.unescape(match.group(1)),
            data={**fields, "decision": "approve" if approve else "deny"},
        )
    assert decided.status_code == 302, decided.text
    location = urlsplit(decided.headers["location"])
    assert location.path == "/v1/connections/callback", location
    return f"{location.path}?{location.query}"


async def connect_hubspot(
    api: Api, *, approve: bool = True, **body: Any
) -> tuple[dict[str, Any], httpx.Response]:
    """POST /v1/connections, the consent, and the callback; returns (created, callback)."""
    created = await api.post("/v1/connections", json={"connector": "hubspot", **body})
    assert created.status_code == 201, created.text
    callback_path = await consent(created.json()["authorizeUrl"], approve=approve)
    # The browser arrives without any Hubwire credential.
    callback = await api.http.get(callback_path)
    return created.json(), callback


async def paused_hubspot_connection(
    services: Services, tenant: Tenant, sandbox: ProviderSandbox
) -> str:
    """A HubSpot connection with real sandbox tokens, made without the callback and paused:
    the app's own background worker (which pulls active connections and would refresh
    their tokens too) leaves it alone, so a test controls every refresh."""
    oauth = AuthlibProviderOAuth()
    config = OAuthClientConfig(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        authorize_url=f"{sandbox.url}/oauth/authorize",
        token_url=f"{sandbox.url}/oauth/2026-03/token",
        redirect_uri="https://hubwire.test/v1/connections/callback",
        scopes=SCOPES,
    )
    request = await oauth.authorization_request(config)
    code = parse_qs(urlsplit(await consent(request.url)).query)["code"][0]
    tokens = await oauth.exchange_code(config, code=code, code_verifier=request.code_verifier)
    assert tokens.refresh_token is not None
    connection = Connection(
        workspace_id=tenant.id,
        connector="hubspot",
        status="paused",
        auth_type="oauth2",
        account_id="62515",
        base_url=sandbox.url,
        token_url=config.token_url,
        credentials_sealed=seal_credentials(
            services.secrets,
            {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token},
        ),
        token_expires_at=tokens.expires_at,
        activated_at=utcnow(),
        push_routes={},
        settings={},
        field_mapping={},
        concurrency_limit=2,
        refresh_failures=0,
    )
    async with services.db.session() as session:
        session.add(connection)
    return connection.id
