"""Each RFC 9700 rule of the authorization server, with the exact OAuth error."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.conftest import Api
from tests.oauth.conftest import REDIRECT, Browser, Person, pkce, redirect_params, register_app


def _params(app: dict[str, Any], challenge: str | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": app["clientId"],
        "redirect_uri": REDIRECT,
        "scope": "leads:read",
        "state": "st-123",
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params | extra


def _basic(app: dict[str, Any]) -> dict[str, str]:
    raw = f"{app['clientId']}:{app['clientSecret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def _code(
    http: httpx.AsyncClient, owner: Person, app: dict[str, Any], challenge: str | None
) -> str:
    browser = Browser(http)
    await browser.login(owner)
    landed = redirect_params(await browser.authorize(_params(app, challenge)))
    assert landed["state"] == "st-123"
    return landed["code"]


async def _exchange(
    http: httpx.AsyncClient, app: dict[str, Any], code: str, verifier: str | None
) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier:
        data["code_verifier"] = verifier
    headers = _basic(app) if app.get("clientSecret") else {}
    if not headers:
        data["client_id"] = app["clientId"]
    return await http.post("/oauth/token", data=data, headers=headers)


def _error(response: httpx.Response, expected: str) -> None:
    assert response.json()["error"] == expected, response.text


async def test_redirect_uri_must_match_exactly(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app = await register_app(api)
    _, challenge = pkce()
    browser = Browser(http)
    await browser.login(owner)
    for uri in (
        REDIRECT + "/",
        REDIRECT + "?x=1",
        REDIRECT.upper(),
        "https://evil.example/callback",
    ):
        page = await browser.request(
            "GET", "/oauth/authorize", params=_params(app, challenge, redirect_uri=uri)
        )
        # Never redirected to an unregistered URI: the error is shown to the user.
        assert page.status_code == 400
        assert "invalid_request" in page.text
        assert "location" not in page.headers


async def test_public_clients_must_use_pkce(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app = await register_app(api, clientType="public")
    browser = Browser(http)
    await browser.login(owner)
    page = await browser.request("GET", "/oauth/authorize", params=_params(app, None))
    landed = redirect_params(page)
    assert landed["error"] == "invalid_request"
    assert landed["state"] == "st-123"


async def test_plain_pkce_is_refused(http: httpx.AsyncClient, api: Api, owner: Person) -> None:
    app = await register_app(api)
    verifier, _ = pkce()
    browser = Browser(http)
    await browser.login(owner)
    for method in ({"code_challenge_method": "plain"}, {}):
        params = _params(app, None, code_challenge=verifier, **method)
        landed = redirect_params(await browser.request("GET", "/oauth/authorize", params=params))
        assert landed["error"] == "invalid_request"


async def test_pkce_downgrade_and_wrong_verifier_are_refused(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app = await register_app(api)
    verifier, challenge = pkce()
    # A code bound to a challenge needs the verifier…
    _error(
        await _exchange(http, app, await _code(http, owner, app, challenge), None),
        "invalid_request",
    )
    # …the right one…
    other, _ = pkce()
    _error(
        await _exchange(http, app, await _code(http, owner, app, challenge), other), "invalid_grant"
    )
    # …and a verifier for a code that had no challenge is a downgrade attempt.
    _error(
        await _exchange(http, app, await _code(http, owner, app, None), verifier), "invalid_request"
    )
    # Confidential clients may skip PKCE entirely.
    assert (
        await _exchange(http, app, await _code(http, owner, app, None), None)
    ).status_code == 200


async def test_a_reused_code_is_refused_and_revokes_its_tokens(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app = await register_app(api)
    verifier, challenge = pkce()
    code = await _code(http, owner, app, challenge)
    first = await _exchange(http, app, code, verifier)
    assert first.status_code == 200, first.text
    access = first.json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert (await http.get("/v1/leads", headers=bearer)).status_code == 200
    _error(await _exchange(http, app, code, verifier), "invalid_grant")
    assert (await http.get("/v1/leads", headers=bearer)).status_code == 401


async def test_codes_are_bound_to_their_client(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app, other = await register_app(api), await register_app(api)
    verifier, challenge = pkce()
    code = await _code(http, owner, app, challenge)
    _error(await _exchange(http, other, code, verifier), "invalid_grant")


async def test_a_reused_refresh_token_revokes_the_family(
    http: httpx.AsyncClient, api: Api, owner: Person
) -> None:
    app = await register_app(api)
    verifier, challenge = pkce()
    tokens = (await _exchange(http, app, await _code(http, owner, app, challenge), verifier)).json()

    async def refresh(token: str) -> httpx.Response:
        return await http.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": token},
            headers=_basic(app),
        )

    rotated = await refresh(tokens["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    newer = rotated.json()
    _error(await refresh(tokens["refresh_token"]), "invalid_grant")
    # The replay ended the family: the newest tokens are dead too.
    _error(await refresh(newer["refresh_token"]), "invalid_grant")
    bearer = {"Authorization": f"Bearer {newer['access_token']}"}
    assert (await http.get("/v1/leads", headers=bearer)).status_code == 401


async def test_client_authentication_and_grant_types(http: httpx.AsyncClient, api: Api) -> None:
    app = await register_app(api)
    public = await register_app(api, clientType="public")
    wrong = {**app, "clientSecret": "hwcs_wrong"}
    _error(
        await http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, headers=_basic(wrong)
        ),
        "invalid_client",
    )
    ok = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "leads:read"},
        headers=_basic(app),
    )
    assert ok.status_code == 200, ok.text
    assert "refresh_token" not in ok.json()
    _error(
        await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "calls:read"},
            headers=_basic(app),
        ),
        "invalid_scope",
    )
    # No password grant and no implicit flow, for anyone.
    _error(
        await http.post(
            "/oauth/token",
            data={"grant_type": "password", "username": "a", "password": "b"},
            headers=_basic(app),
        ),
        "unsupported_grant_type",
    )
    _error(
        await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": public["clientId"]},
        ),
        "unauthorized_client",
    )


async def test_scopes_beyond_the_app_or_the_role_and_denial(
    http: httpx.AsyncClient, api: Api, owner: Person, make_user: Any, tenant: Any
) -> None:
    app = await register_app(api, scopes=["leads:read", "keys:read"])
    _, challenge = pkce()
    browser = Browser(http)
    await browser.login(owner)
    landed = redirect_params(
        await browser.request(
            "GET", "/oauth/authorize", params=_params(app, challenge, scope="calls:read")
        )
    )
    assert landed["error"] == "invalid_scope"
    denied = redirect_params(await browser.authorize(_params(app, challenge), decision="deny"))
    assert denied["error"] == "access_denied" and denied["state"] == "st-123"
    assert "code" not in denied
    member = Browser(http)
    await member.login(await make_user(tenant, "member"))
    landed = redirect_params(
        await member.request(
            "GET", "/oauth/authorize", params=_params(app, challenge, scope="keys:read")
        )
    )
    assert landed["error"] == "invalid_scope"


async def test_introspection_and_metadata(http: httpx.AsyncClient, api: Api, owner: Person) -> None:
    app = await register_app(api)
    token = (
        await http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, headers=_basic(app)
        )
    ).json()
    seen = (
        await http.post(
            "/oauth/introspect", data={"token": token["access_token"]}, headers=_basic(app)
        )
    ).json()
    assert seen["active"] is True
    assert seen["client_id"] == app["clientId"]
    assert (
        await http.post("/oauth/revoke", data={"token": token["access_token"]}, headers=_basic(app))
    ).status_code == 200
    seen = (
        await http.post(
            "/oauth/introspect", data={"token": token["access_token"]}, headers=_basic(app)
        )
    ).json()
    assert seen["active"] is False
    metadata = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["grant_types_supported"] == [
        "authorization_code",
        "refresh_token",
        "client_credentials",
    ]
    assert "implicit" not in str(metadata) and "password" not in metadata["grant_types_supported"]


async def test_app_registration_shows_the_secret_once_and_updates_safely(api: Api) -> None:
    app = await register_app(api)
    assert app["clientSecret"].startswith("hwcs_")
    fetched = (await api.get(f"/v1/oauth-apps/{app['id']}")).json()
    assert "clientSecret" not in fetched
    patched = await api.patch(
        f"/v1/oauth-apps/{app['id']}",
        json={"rateLimitTier": None, "status": None, "website": None, "name": "Renamed"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["rateLimitTier"] == "basic" and patched.json()["name"] == "Renamed"
    bad = await api.post(
        "/v1/oauth-apps",
        json={
            "name": "x",
            "redirectUris": ["http://evil.example/cb"],
            "scopes": ["leads:read"],
        },
    )
    assert bad.status_code == 422
