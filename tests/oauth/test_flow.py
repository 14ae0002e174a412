"""The authorization-code + PKCE flow end to end, with Authlib's own OAuth client over
real HTTP against a live server: consent, token, API call, refresh, revoke."""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client

from core.settings import Settings
from tests.conftest import Api, Tenant
from tests.oauth.conftest import REDIRECT, Person, html_unescape, register_app
from tests.support.live_server import live_server


@pytest.fixture(autouse=True)
def _loopback_http(monkeypatch: pytest.MonkeyPatch) -> None:
    # The client library insists on https; the live server is plain HTTP on loopback.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


async def _consent(base: str, person: Person, authorize_url: str) -> str:
    """A person logs in and allows; returns the URL the browser lands on."""
    async with httpx.AsyncClient(base_url=base) as browser:
        login = await browser.post(
            "/v1/auth/login", json={"email": person.email, "password": person.password}
        )
        assert login.status_code == 200, login.text
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        form = {
            k: html_unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)
        }
        form["decision"] = "allow"
        landed = await browser.post("/oauth/authorize", data=form)
        assert landed.status_code == 302, landed.text
        return landed.headers["location"]


@pytest.mark.parametrize("client_type", ["public", "confidential"])
async def test_authorization_code_with_pkce_against_a_live_server(
    settings: Settings, api: Api, tenant: Tenant, owner: Person, client_type: str
) -> None:
    app = await register_app(api, clientType=client_type)
    with live_server(settings) as base:
        async with httpx.AsyncClient() as plain:
            metadata = (await plain.get(f"{base}/.well-known/oauth-authorization-server")).json()
        assert metadata["code_challenge_methods_supported"] == ["S256"]
        client = AsyncOAuth2Client(
            client_id=app["clientId"],
            client_secret=app.get("clientSecret"),
            token_endpoint_auth_method=(
                "none" if client_type == "public" else "client_secret_basic"
            ),
            redirect_uri=REDIRECT,
            scope="leads:read",
            code_challenge_method="S256",
            revocation_endpoint_auth_method=(
                "none" if client_type == "public" else "client_secret_basic"
            ),
        )
        code_verifier = secrets.token_urlsafe(48)
        url, state = client.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=code_verifier
        )
        landed = await _consent(base, owner, url)
        assert landed.startswith(REDIRECT)
        assert parse_qs(urlsplit(landed).query)["state"] == [state]

        token = await client.fetch_token(
            metadata["token_endpoint"], authorization_response=landed, code_verifier=code_verifier
        )
        assert token["access_token"].startswith("hwo_at_")
        assert token["refresh_token"].startswith("hwo_rt_")
        assert token["scope"] == "leads:read"

        async with httpx.AsyncClient(base_url=base) as plain:
            bearer = {"Authorization": f"Bearer {token['access_token']}"}
            leads = await plain.get("/v1/leads", headers=bearer)
            assert leads.status_code == 200, leads.text
            # Scopes are enforced per route, exactly as for API keys.
            denied = await plain.post("/v1/leads", headers=bearer, json={"name": "x"})
            assert denied.status_code == 403
            assert denied.json()["error"]["details"]["requiredScope"] == "leads:write"

            old_refresh = token["refresh_token"]
            refreshed = await client.refresh_token(metadata["token_endpoint"])
            assert refreshed["refresh_token"] != old_refresh
            new_bearer = {"Authorization": f"Bearer {refreshed['access_token']}"}
            assert (await plain.get("/v1/leads", headers=new_bearer)).status_code == 200

            await client.revoke_token(metadata["revocation_endpoint"], refreshed["access_token"])
            refused = await plain.get("/v1/leads", headers=new_bearer)
            assert refused.status_code == 401
            assert refused.json()["error"]["code"] == "UNAUTHORIZED"
        await client.aclose()
