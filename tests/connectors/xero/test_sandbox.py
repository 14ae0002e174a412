"""The Xero sandbox's own rules, as Xero applies them: PKCE, single-use refresh tokens whose
reuse revokes the grant, the tenant header, the limits' 429s and the Accounting API's
validation."""

from __future__ import annotations

import httpx

from connectors.xero.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    create_sandbox,
)
from tests.connectors.xero.conftest import XeroSandbox, consent_tokens
from tests.support.live_server import serve_asgi


async def test_a_reused_refresh_token_revokes_the_grant(xero: XeroSandbox) -> None:
    first = await consent_tokens(xero.url)
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
        tokens = await consent_tokens(url)
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
