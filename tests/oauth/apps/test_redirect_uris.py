"""Registered redirect URIs hold only URI characters: they are matched exactly and sent
back in a Location header, which cannot carry a control character."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.oauth.conftest import register_app


@pytest.mark.parametrize(
    "uri",
    [
        "https://app.example/cb\x01",
        "https://app.example/café",
        'https://app.example/c"b',
        "https://app.example/c\\b",
        "https://app.example/c b",
    ],
)
async def test_a_redirect_uri_with_other_characters_is_refused(api: Api, uri: str) -> None:
    response = await api.post(
        "/v1/oauth-apps",
        json={
            "name": "Acme",
            "clientType": "confidential",
            "redirectUris": [uri],
            "scopes": ["leads:read"],
        },
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["error"]["details"]["errors"]
    assert error["field"] == "redirectUris"
    assert "percent-encode" in error["message"]


async def test_a_percent_encoded_one_is_kept_verbatim(api: Api) -> None:
    uri = "https://app.example/caf%C3%A9?x=%22a%22&y=1"
    assert (await register_app(api, redirectUris=[uri]))["redirectUris"] == [uri]
