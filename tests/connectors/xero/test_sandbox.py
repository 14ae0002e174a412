"""The Xero sandbox's own rules, as Xero applies them: PKCE, single-use refresh tokens whose
reuse revokes the grant, the tenant header, the limits' 429s and the Accounting API's
validation."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from connectors.xero.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    create_sandbox,
)
from tests.connectors.xero.conftest import XeroSandbox
from tests.support.consent import approve
from tests.support.live_server import serve_asgi

REDIRECT = "https://hubwire.test/v1/connections/callback"


async def _tokens(url: str) -> dict[str, Any]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()
    query = {
        "response_type": "code",
        "client_id": DEFAULT_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid offline_access accounting.transactions",
        "state": "s",
        "code_challenge": challenge.rstrip("="),
        "code_challenge_method": "S256",
    }
    landed = await approve(f"{url}/identity/connect/authorize?{urlencode(query)}")
    code = parse_qs(urlsplit(landed).query)["code"][0]
    async with httpx.AsyncClient() as http:
        wrong = await http.post(
            f"{url}/connect/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": "not-the-verifier",
            },
            auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        )
        assert wrong.status_code == 400 and wrong.json() == {"error": "invalid_grant"}
    # The code was spent by that attempt, as a code is: consent again.
    landed = await approve(f"{url}/identity/connect/authorize?{urlencode(query)}")
    code = parse_qs(urlsplit(landed).query)["code"][0]
    async with httpx.AsyncClient() as http:
        good = await http.post(
            f"{url}/connect/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        )
    assert good.status_code == 200, good.text
    return dict(good.json())


async def test_a_reused_refresh_token_revokes_the_grant(xero: XeroSandbox) -> None:
    first = await _tokens(xero.url)
    assert first["expires_in"] == 1800
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    auth = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with httpx.AsyncClient() as http:
        second = await http.post(f"{xero.url}/connect/token", data=refresh, auth=auth)
        assert second.status_code == 200
        assert second.json()["refresh_token"] != first["refresh_token"]
        again = await http.post(f"{xero.url}/connect/token", data=refresh, auth=auth)
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
        bearer = {"Authorization": f"Bearer {second.json()['access_token']}"}
        revoked = await http.get(f"{xero.url}/connections", headers=bearer)
    assert revoked.status_code == 401
    assert xero.state()["revoked"]


async def test_tenant_header_limits_and_validation() -> None:
    with serve_asgi(create_sandbox(SandboxConfig(minute_limit=2))) as url:
        tokens = await _tokens(url)
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        async with httpx.AsyncClient() as http:
            [tenant] = (await http.get(f"{url}/connections", headers=bearer)).json()
            no_tenant = await http.put(f"{url}/api.xro/2.0/Contacts", headers=bearer, json={})
            assert no_tenant.status_code == 403
            headers = {**bearer, "xero-tenant-id": tenant["tenantId"]}
            body = {"Contacts": [{"Name": ""}]}
            invalid = await http.put(f"{url}/api.xro/2.0/Contacts", headers=headers, json=body)
            assert invalid.status_code == 400
            assert invalid.json()["Type"] == "ValidationException"
            assert invalid.headers["X-MinLimit-Remaining"] == "1"
            await http.put(f"{url}/api.xro/2.0/Contacts", headers=headers, json=body)
            limited = await http.put(f"{url}/api.xro/2.0/Contacts", headers=headers, json=body)
    assert limited.status_code == 429
    assert limited.headers["X-Rate-Limit-Problem"] == "minute"
    assert int(limited.headers["Retry-After"]) >= 1
