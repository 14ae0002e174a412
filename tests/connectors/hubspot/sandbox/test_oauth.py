"""The OAuth 2.0 code flow against the sandbox: authorize, approve, exchange, refresh,
introspect, revoke, on HubSpot's dated API; v1 answers as after its sunset."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import SimplePublicObjectInputForCreate
from hubspot.oauth import ApiException as OAuthApiException

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OAuthApp
from tests.connectors.hubspot.sandbox.conftest import Running

REDIRECT = "http://127.0.0.1:9/callback"


def _authorize(hs: Running, http: httpx.Client) -> str:
    page = http.get(
        f"{hs.base}/oauth/authorize",
        params={
            "client_id": DEFAULT_CLIENT_ID,
            "redirect_uri": REDIRECT,
            "scope": "crm.objects.contacts.read crm.objects.contacts.write",
            "state": "xyz",
        },
    )
    assert page.status_code == 200
    assert "Approve" in page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action is not None
    assert action.group(1).startswith(hs.base)  # the prefix survives in the form action
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    approved = http.post(action.group(1), data={**fields, "decision": "approve"})
    assert approved.status_code == 302
    location = urlsplit(approved.headers["location"])
    query = parse_qs(location.query)
    assert location.path == "/callback"
    assert query["state"] == ["xyz"]
    return query["code"][0]


def test_code_flow_then_refresh_with_httpx(hs: Running) -> None:
    with httpx.Client() as http:
        code = _authorize(hs, http)
        form = {
            "grant_type": "authorization_code",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
            "redirect_uri": REDIRECT,
            "code": code,
        }
        tokens = http.post(f"{hs.base}/oauth/2026-03/token", data=form).json()
        assert tokens["expires_in"] == 1800
        assert tokens["token_type"] == "bearer"
        # A code is single use.
        again = http.post(f"{hs.base}/oauth/2026-03/token", data=form)
        assert again.status_code == 400
        assert again.json() | {"correlationId": "-"} == {
            "error": "invalid_grant",
            "error_description": "missing or unknown auth code",
            "status": "BAD_AUTH_CODE",
            "message": "missing or unknown auth code",
            "correlationId": "-",
        }

        contact = SimplePublicObjectInputForCreate(properties={"email": "oauth@example.com"})
        made = HubSpot(access_token=tokens["access_token"], host=hs.base)
        assert made.crm.contacts.basic_api.create(contact).properties["email"] == (
            "oauth@example.com"
        )

        refresh = {
            "grant_type": "refresh_token",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
            "refresh_token": tokens["refresh_token"],
        }
        first = http.post(f"{hs.base}/oauth/2026-03/token", data=refresh).json()
        second = http.post(f"{hs.base}/oauth/2026-03/token", data=refresh).json()
        # HubSpot refresh tokens are long-lived and reusable; each refresh mints a new token.
        assert first["refresh_token"] == second["refresh_token"] == tokens["refresh_token"]
        assert first["access_token"] != second["access_token"]


def test_deny_redirects_with_error(hs: Running) -> None:
    with httpx.Client() as http:
        response = http.post(
            f"{hs.base}/oauth/authorize",
            data={"client_id": DEFAULT_CLIENT_ID, "redirect_uri": REDIRECT, "decision": "deny"},
        )
    assert response.status_code == 302
    assert "error=access_denied" in response.headers["location"]


def test_registered_redirect_uri_is_enforced(make_sandbox: Callable[..., Running]) -> None:
    hs = make_sandbox(apps=(OAuthApp("cid", "secret", redirect_uris=(REDIRECT,)),))
    with httpx.Client() as http:
        bad = http.get(
            f"{hs.base}/oauth/authorize",
            params={"client_id": "cid", "redirect_uri": "http://evil.test/cb"},
        )
    assert bad.status_code == 400


APP = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


def _introspect(hs: Running, http: httpx.Client, token: str, **extra: str) -> dict[str, object]:
    found: dict[str, object] = http.post(
        f"{hs.base}/oauth/2026-03/token/introspect", data={**APP, "token": token, **extra}
    ).json()
    return found


def test_tokens_introspection_expiry_and_revocation(make_sandbox: Callable[..., Running]) -> None:
    now = [1_700_000_000.0]
    hs = make_sandbox(clock=lambda: now[0])
    with httpx.Client() as http:
        code = _authorize(hs, http)
        tokens = http.post(
            f"{hs.base}/oauth/2026-03/token",
            data={
                **APP,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
            },
        ).json()
        assert tokens["expires_in"] == 1800
        assert tokens["hub_id"] == 62515
        access = _introspect(hs, http, tokens["access_token"])
        assert access["active"] is True and access["token_use"] == "access_token"
        assert access["hub_id"] == 62515 and access["expires_in"] == 1800
        assert "crm.objects.contacts.read" in access["scopes"]  # type: ignore[operator]
        refresh = _introspect(hs, http, tokens["refresh_token"])
        assert refresh["active"] is True and refresh["token_use"] == "refresh_token"
        # Introspection authenticates the app.
        wrong = http.post(
            f"{hs.base}/oauth/2026-03/token/introspect",
            data={**APP, "client_secret": "nope", "token": tokens["access_token"]},
        )
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"

        api = HubSpot(access_token=tokens["access_token"], host=hs.base)
        api.crm.contacts.basic_api.get_page()
        now[0] += 1801  # the access token lives 30 minutes
        from hubspot.crm.contacts import ApiException

        with pytest.raises(ApiException) as expired:
            api.crm.contacts.basic_api.get_page()
        assert expired.value.status == 401
        assert '"EXPIRED_AUTHENTICATION"' in expired.value.body
        assert _introspect(hs, http, tokens["access_token"]) == {"active": False}

        form = {**APP, "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        refreshed = http.post(f"{hs.base}/oauth/2026-03/token", data=form).json()
        HubSpot(
            access_token=refreshed["access_token"], host=hs.base
        ).crm.contacts.basic_api.get_page()

        revoked = http.post(
            f"{hs.base}/oauth/2026-03/token/revoke", data={**APP, "token": tokens["refresh_token"]}
        )
        assert revoked.status_code == 200
        assert _introspect(hs, http, tokens["refresh_token"]) == {"active": False}
        again = http.post(f"{hs.base}/oauth/2026-03/token", data=form)
        assert again.status_code == 400
        assert again.json()["error"] == "invalid_grant"
        assert again.json()["status"] == "BAD_REFRESH_TOKEN"


def test_v1_answers_as_after_its_sunset(hs: Running) -> None:
    """HubSpot switches /oauth/v1 off on 2027-02-16; the SDK (12.x) still calls it."""
    sdk = HubSpot(host=hs.base)
    with pytest.raises(OAuthApiException) as gone:
        sdk.oauth.tokens_api.create(grant_type="refresh_token", refresh_token="r", **APP)
    assert gone.value.status == 410
    assert "/oauth/2026-03/token" in gone.value.body
    for call in (
        lambda: sdk.oauth.access_tokens_api.get("t"),
        lambda: sdk.oauth.refresh_tokens_api.get("t"),
        lambda: sdk.oauth.refresh_tokens_api.archive("t"),
    ):
        with pytest.raises(OAuthApiException) as refused:
            call()
        assert refused.value.status == 410


def test_a_token_without_a_scope_gets_403_missing_scopes(hs: Running) -> None:
    token, _ = hs.sandbox.store.issue_tokens(DEFAULT_CLIENT_ID, ("crm.objects.contacts.read",), 600)
    api = HubSpot(access_token=token, host=hs.base).crm.contacts
    assert api.basic_api.get_page().results == []  # reading is granted
    from hubspot.crm.contacts import ApiException

    with pytest.raises(ApiException) as refused:
        api.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "s@x.io"}))
    assert refused.value.status == 403
    body = json.loads(refused.value.body)
    assert body["category"] == "MISSING_SCOPES"
    assert body["errors"] == [
        {
            "message": "One or more of the following scopes are required.",
            "context": {"requiredGranularScopes": ["crm.objects.contacts.write"]},
        }
    ]
    assert hs.sandbox.store.all("contacts") == []
