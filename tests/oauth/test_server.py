"""Request values Authlib would quote in an ``error_description`` (which RFC 6749 §4.1.2.1
limits to printable ASCII without ``"`` and ``\\``) still get the RFC's answer: an error
page when the redirect URI cannot be trusted, a redirect to the client otherwise."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import Api
from tests.oauth.conftest import REDIRECT, Browser, Person, pkce, redirect_params, register_app

# A quote, a backslash, a non-ASCII and a control character, with what the error quotes.
UNDESCRIBABLE = [('"', "%22"), ("\\", "%5C"), ("é", "%C3%A9"), ("\x01", "%01")]


def _params(app: dict[str, Any], **extra: str) -> dict[str, str]:
    _, challenge = pkce()
    return {
        "response_type": "code",
        "client_id": app["clientId"],
        "redirect_uri": REDIRECT,
        "scope": "leads:read",
        "state": "st-9",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }


def _error_page(response: httpx.Response, error: str) -> str:
    assert response.status_code == 400, response.text
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    shown = re.search(r"<code>([^<]+)</code>: ([^<]*)</p>", response.text)
    assert shown is not None, response.text
    assert shown.group(1) == error
    return shown.group(2)


@pytest.mark.parametrize(("character", "quoted"), UNDESCRIBABLE)
async def test_an_unregistered_redirect_uri_with_any_character_gets_the_error_page(
    http: httpx.AsyncClient, api: Api, owner: Person, character: str, quoted: str
) -> None:
    app = await register_app(api)
    uri = f"{REDIRECT}{character}"
    anonymous = await http.get("/oauth/authorize", params=_params(app, redirect_uri=uri))
    assert f"callback{quoted} is not registered" in _error_page(anonymous, "invalid_request")

    browser = Browser(http)
    await browser.login(owner)
    page = await browser.request("GET", "/oauth/authorize", params=_params(app))
    assert page.status_code == 200, page.text
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    posted = await browser.request(
        "POST", "/oauth/authorize", data={**form, "redirect_uri": uri, "decision": "allow"}
    )
    assert f"callback{quoted} is not registered" in _error_page(posted, "invalid_request")


@pytest.mark.parametrize(("character", "quoted"), UNDESCRIBABLE)
async def test_an_unsupported_response_type_with_any_character_goes_back_to_the_client(
    http: httpx.AsyncClient, api: Api, owner: Person, character: str, quoted: str
) -> None:
    app = await register_app(api)
    response_type = f"code{character}"
    landed = redirect_params(
        await http.get("/oauth/authorize", params=_params(app, response_type=response_type))
    )
    assert landed["error"] == "unsupported_response_type"
    assert landed["state"] == "st-9"
    assert f"code{quoted}" in landed["error_description"]

    browser = Browser(http)
    await browser.login(owner)
    page = await browser.request("GET", "/oauth/authorize", params=_params(app))
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    posted = await browser.request(
        "POST",
        "/oauth/authorize",
        data={**form, "response_type": response_type, "decision": "allow"},
    )
    assert redirect_params(posted)["error"] == "unsupported_response_type"


async def test_an_unsupported_response_type_for_an_unknown_client_gets_the_error_page(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get(
        "/oauth/authorize",
        params={"response_type": 'co"de', "client_id": "nope", "redirect_uri": REDIRECT},
    )
    assert "co%22de" in _error_page(response, "unsupported_response_type")
