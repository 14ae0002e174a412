"""A suspended workspace refuses every kind of credential with one error: API keys, OAuth
access tokens, user tokens and dashboard sessions alike; reactivated, all work again."""

from __future__ import annotations

import base64
import secrets
from typing import Any

import httpx

from core.container import Services
from oauth.deps import SESSION_COOKIE
from oauth.users.service import users
from tests.conftest import Api
from tests.core.partners.test_endpoints import mint, onboard
from tests.oauth.conftest import PASSWORD, register_app
from tests.support.partners import partner_key


async def test_every_kind_of_credential_of_a_suspended_workspace_is_refused_alike(
    http: httpx.AsyncClient, services: Services
) -> None:
    key_of_partner = await partner_key(
        services, ["leads:read", "apps:write"], scopes=["partner:write"]
    )
    partner = Api(http, key_of_partner)
    workspace = await onboard(partner)
    ws = workspace["id"]
    key = await mint(partner, ws, ["leads:read", "apps:write"])
    app = await register_app(Api(http, key), scopes=["leads:read"])
    basic = base64.b64encode(f"{app['clientId']}:{app['clientSecret']}".encode()).decode()
    issued = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "leads:read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert issued.status_code == 200, issued.text
    email = f"owner-{secrets.token_hex(4)}@example.com"
    async with services.db.session() as session:
        await users.create(session, workspace_id=ws, email=email, password=PASSWORD, role="owner")
        login = await users.login(session, limiter=None, email=email, password=PASSWORD, ip=None)
    bearers = {
        "API key": key,
        "OAuth access token": issued.json()["access_token"],
        "user token": login.access_token,
    }

    async def api_answers() -> dict[str, httpx.Response]:
        return {
            kind: await http.get("/v1/leads", headers={"Authorization": f"Bearer {token}"})
            for kind, token in bearers.items()
        }

    async def dashboard_answer() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=http._transport, base_url="http://hubwire.test"
        ) as browser:
            browser.cookies.set(SESSION_COOKIE, login.session_token)
            return await browser.get("/dashboard/api-keys")

    def error_of(response: httpx.Response) -> dict[str, Any]:
        error = dict(response.json()["error"])
        error.pop("requestId", None)
        return error

    for kind, response in (await api_answers()).items():
        assert response.status_code == 200, (kind, response.text)
    assert (await dashboard_answer()).status_code == 200

    assert (await partner.post(f"/v1/partner/workspaces/{ws}/suspend")).is_success
    refused = await api_answers()
    expected = error_of(refused["API key"])
    assert refused["API key"].status_code == 403
    assert expected["code"] == "FORBIDDEN"
    assert expected["details"] == {"workspaceId": ws, "workspaceStatus": "suspended"}
    for kind, response in refused.items():
        assert response.status_code == 403, (kind, response.text)
        assert error_of(response) == expected, kind
    page = await dashboard_answer()
    assert page.status_code == 403
    assert expected["message"] in page.text.replace("&#39;", "'")

    # Nor does the workspace's OAuth app get new tokens.
    refused_token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "leads:read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert refused_token.status_code == 401, refused_token.text
    assert refused_token.json()["error"] == "invalid_client"

    assert (await partner.post(f"/v1/partner/workspaces/{ws}/reactivate")).is_success
    reissued = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "leads:read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert reissued.status_code == 200, reissued.text
    for kind, response in (await api_answers()).items():
        assert response.status_code == 200, (kind, response.text)
    assert (await dashboard_answer()).status_code == 200
