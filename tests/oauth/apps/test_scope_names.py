"""OAuth apps take `scopes`, as API clients and keys do; `allowedScopes`, the field's first
name, is still accepted and returned (deprecated in the spec) until the next major version."""

from __future__ import annotations

from fastapi import FastAPI

from tests.conftest import Api
from tests.oauth.conftest import REDIRECT, register_app


async def test_scopes_is_the_name_and_the_old_one_is_returned_beside_it(api: Api) -> None:
    app = await register_app(api, scopes=["leads:read"])
    assert app["scopes"] == app["allowedScopes"] == ["leads:read"]

    changed = await api.patch(f"/v1/oauth-apps/{app['id']}", json={"scopes": ["calls:read"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["scopes"] == changed.json()["allowedScopes"] == ["calls:read"]


async def test_the_deprecated_name_still_works(api: Api) -> None:
    body = {"name": "Old client", "redirectUris": [REDIRECT], "allowedScopes": ["leads:read"]}
    created = await api.post("/v1/oauth-apps", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == ["leads:read"]

    app_id = created.json()["id"]
    changed = await api.patch(f"/v1/oauth-apps/{app_id}", json={"allowedScopes": ["calls:read"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["scopes"] == ["calls:read"]


async def test_both_names_that_disagree_or_neither_is_a_422(api: Api) -> None:
    both = {
        "name": "Confused",
        "redirectUris": [REDIRECT],
        "scopes": ["leads:write"],
        "allowedScopes": ["leads:read"],
    }
    response = await api.post("/v1/oauth-apps", json=both)
    assert response.status_code == 422, response.text
    assert "send scopes only" in response.text

    neither = await api.post("/v1/oauth-apps", json={"name": "None", "redirectUris": [REDIRECT]})
    assert neither.status_code == 422
    [error] = neither.json()["error"]["details"]["errors"]
    assert error["field"] == "scopes"


def test_the_spec_marks_the_old_name_deprecated(app: FastAPI) -> None:
    spec = app.openapi()
    for name in ("OAuthAppCreate", "OAuthAppUpdate", "OAuthAppOut"):
        properties = spec["components"]["schemas"][name]["properties"]
        assert properties["allowedScopes"]["deprecated"] is True
        assert "deprecated" not in properties["scopes"]
    assert "scopes" in spec["components"]["schemas"]["OAuthAppCreate"]["required"]


async def test_old_scopes_that_are_not_names_are_a_422(api: Api) -> None:
    app = await register_app(api, scopes=["leads:read"])
    odd = {"allowedScopes": [{}], "scopes": ["leads:read"]}
    response = await api.patch(f"/v1/oauth-apps/{app['id']}", json=odd)
    assert response.status_code == 422, response.text
