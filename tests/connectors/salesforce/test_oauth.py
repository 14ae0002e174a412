"""Hubwire's own OAuth client (oauth/provider_client.py) against the Salesforce sandbox: the
web-server flow with PKCE keeps the token response's ``instance_url`` (the manifest's
``token_fields``) on exchange and on refresh, and a revoked grant is a permanent failure."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connectors.salesforce.connector import MANIFEST
from connectors.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from core.plugins.auth import OAuthClientConfig, ProviderTokenError
from core.plugins.manifest import OAuth2Auth
from oauth.provider_client import AuthlibProviderOAuth
from tests.connectors.salesforce.conftest import Org

REDIRECT = "https://hubwire.test/v1/connections/callback"


async def test_exchange_and_refresh_keep_the_instance_url(org: Org) -> None:
    assert isinstance(MANIFEST.auth, OAuth2Auth)
    config = OAuthClientConfig(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        authorize_url=org.base + "/services/oauth2/authorize",
        token_url=org.base + "/services/oauth2/token",
        redirect_uri=REDIRECT,
        scopes=MANIFEST.auth.scopes,
        token_fields=MANIFEST.auth.token_fields,
    )
    oauth = AuthlibProviderOAuth()
    request = await oauth.authorization_request(config)
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    assert query["code_challenge_method"] == "S256"
    async with httpx.AsyncClient() as http:
        consent = await http.post(
            config.authorize_url,
            data={
                "decision": "approve",
                **{k: query[k] for k in ("client_id", "redirect_uri", "state", "code_challenge")},
            },
        )
    code = parse_qs(urlsplit(consent.headers["location"]).query)["code"][0]
    tokens = await oauth.exchange_code(config, code=code, code_verifier=request.code_verifier)
    assert tokens.extra == {"instance_url": org.base}
    assert tokens.refresh_token is not None
    renewed = await oauth.refresh(config, refresh_token=tokens.refresh_token)
    assert renewed.extra == {"instance_url": org.base}
    assert renewed.refresh_token is None  # Salesforce does not rotate it: keep the old one

    with org.admin() as admin:
        assert admin.post("/revoke-all").status_code == 200
    with pytest.raises(ProviderTokenError) as revoked:
        await oauth.refresh(config, refresh_token=tokens.refresh_token)
    assert revoked.value.permanent
