"""Login, refresh, logout, password change, /v1/me and role enforcement."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Api, Tenant
from tests.oauth.conftest import PASSWORD, Person


@pytest.fixture
async def ip_http(app: FastAPI) -> httpx.AsyncClient:
    """A client with an address of its own, so login limits of other tests do not apply."""
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://hubwire.test")


async def _clear_of_a_minute_edge() -> None:
    # Windows are clock-aligned minutes: eleven attempts must not straddle two of them.
    if time.time() % 60 > 45:
        await asyncio.sleep(60 - time.time() % 60 + 0.1)


async def _login(http: httpx.AsyncClient, person: Person) -> dict[str, str]:
    response = await http.post(
        "/v1/auth/login", json={"email": person.email, "password": person.password}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_login_returns_tokens_a_session_cookie_and_the_user(
    ip_http: httpx.AsyncClient, owner: Person
) -> None:
    response = await ip_http.post(
        "/v1/auth/login", json={"email": owner.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tokenType"] == "Bearer" and body["expiresIn"] == 3600
    assert body["accessToken"].startswith("hwu_at_") and body["refreshToken"].startswith("hwu_rt_")
    assert body["user"]["email"] == owner.email and body["user"]["role"] == "owner"
    cookie = response.headers["set-cookie"]
    assert "hubwire_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = await ip_http.get("/v1/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert me.status_code == 200 and me.json()["id"] == owner.id


async def test_failures_do_not_reveal_whether_the_email_exists(
    ip_http: httpx.AsyncClient, owner: Person
) -> None:
    wrong = await ip_http.post("/v1/auth/login", json={"email": owner.email, "password": "nope"})
    unknown = await ip_http.post(
        "/v1/auth/login", json={"email": "x@nowhere.example", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]


async def test_login_is_limited_to_ten_a_minute_per_ip(
    ip_http: httpx.AsyncClient, owner: Person
) -> None:
    await _clear_of_a_minute_edge()
    statuses = [
        (
            await ip_http.post("/v1/auth/login", json={"email": f"n{i}@x.example", "password": "p"})
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


async def test_login_is_limited_per_account_across_ips(app: FastAPI, owner: Person) -> None:
    await _clear_of_a_minute_edge()
    statuses = []
    for i in range(11):
        transport = httpx.ASGITransport(app=app, client=(f"10.200.{secrets.randbelow(250)}.{i}", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.post(
                "/v1/auth/login", json={"email": owner.email, "password": "bad"}
            )
            statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert "Retry-After" in response.headers


async def test_refresh_rotates_and_a_replay_ends_the_login(
    ip_http: httpx.AsyncClient, owner: Person
) -> None:
    first = await _login(ip_http, owner)
    second = await ip_http.post("/v1/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert second.status_code == 200, second.text
    replay = await ip_http.post("/v1/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert replay.status_code == 401
    bearer = {"Authorization": f"Bearer {second.json()['accessToken']}"}
    assert (await ip_http.get("/v1/me", headers=bearer)).status_code == 401


async def test_logout_and_change_password(ip_http: httpx.AsyncClient, owner: Person) -> None:
    tokens = await _login(ip_http, owner)
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert (await ip_http.post("/v1/auth/logout", headers=bearer)).status_code == 204
    assert (await ip_http.get("/v1/me", headers=bearer)).status_code == 401

    tokens = await _login(ip_http, owner)
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    bad = await ip_http.post(
        "/v1/auth/change-password",
        headers=bearer,
        json={"currentPassword": "wrong", "newPassword": "a brand new passphrase"},
    )
    assert bad.status_code == 401
    changed = await ip_http.post(
        "/v1/auth/change-password",
        headers=bearer,
        json={"currentPassword": PASSWORD, "newPassword": "a brand new passphrase"},
    )
    assert changed.status_code == 204
    assert (await ip_http.get("/v1/me", headers=bearer)).status_code == 401
    owner.password = "a brand new passphrase"
    await _login(ip_http, owner)


async def test_a_member_uses_the_api_but_not_admin_routes(
    ip_http: httpx.AsyncClient, tenant: Tenant, make_user: object
) -> None:
    member = await make_user(tenant, "member")  # type: ignore[operator]
    owner = await make_user(tenant, "owner")  # type: ignore[operator]
    as_member = {"Authorization": f"Bearer {(await _login(ip_http, member))['accessToken']}"}
    as_owner = {"Authorization": f"Bearer {(await _login(ip_http, owner))['accessToken']}"}
    assert (
        await ip_http.post("/v1/leads", headers=as_member, json={"name": "Ada"})
    ).status_code == 201
    for path in ("/v1/api-clients", "/v1/oauth-apps"):
        refused = await ip_http.get(path, headers=as_member)
        assert refused.status_code == 403, path
        assert (await ip_http.get(path, headers=as_owner)).status_code == 200
    # API keys are not people: user-only routes refuse them.
    assert (
        await ip_http.get("/v1/me", headers={"Authorization": "Bearer " + await tenant.key()})
    ).status_code == 403


async def test_users_list_and_revoke_their_authorizations(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    from tests.oauth.conftest import Browser, pkce, redirect_params, register_app

    app = await register_app(api)
    _, challenge = pkce()
    browser = Browser(http)
    await browser.login(owner)
    params = {
        "response_type": "code",
        "client_id": app["clientId"],
        "redirect_uri": "https://app.example/callback",
        "scope": "leads:read",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    redirect_params(await browser.authorize(params))
    token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(app["clientId"], app["clientSecret"]),
    )
    assert token.status_code == 200
    async with browser.services.db.session() as session:
        from oauth.users.service import users

        login = await users.login(
            session, limiter=None, email=owner.email, password=owner.password, ip=None
        )
    bearer = {"Authorization": f"Bearer {login.access_token}"}
    listed = (await http.get("/v1/authorizations", headers=bearer)).json()["data"]
    assert [(a["app"]["id"], a["scopes"]) for a in listed] == [(app["clientId"], ["leads:read"])]
    assert (
        await http.delete(f"/v1/authorizations/{listed[0]['id']}", headers=bearer)
    ).status_code == 204
    assert (await http.get("/v1/authorizations", headers=bearer)).json()["data"] == []
