"""``GET /_sandbox/stats`` counters and single-use refresh tokens (``rotate_refresh_tokens``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectId,
    SimplePublicObjectBatchInput,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectId,
)

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.connectors.hubspot.sandbox.conftest import Running

REDIRECT = "http://127.0.0.1:9/callback"
ZERO = {"requests": 0, "rate_limited": 0, "refreshes": 0, "batch_writes": 0, "batch_records": 0}


def _stats(hs: Running) -> dict[str, int]:
    body: dict[str, int] = httpx.get(f"{hs.base}/_sandbox/stats").json()
    return body


def _tokens(hs: Running, http: httpx.Client) -> dict[str, Any]:
    approved = http.post(
        f"{hs.base}/oauth/authorize",
        data={
            "client_id": DEFAULT_CLIENT_ID,
            "redirect_uri": REDIRECT,
            "scope": "crm.objects.contacts.read",
            "decision": "approve",
        },
    )
    code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "redirect_uri": REDIRECT,
        "code": code,
    }
    tokens: dict[str, Any] = http.post(f"{hs.base}/oauth/2026-03/token", data=form).json()
    return tokens


def _refresh(hs: Running, http: httpx.Client, token: str) -> httpx.Response:
    form = {
        "grant_type": "refresh_token",
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "refresh_token": token,
    }
    return http.post(f"{hs.base}/oauth/2026-03/token", data=form)


def test_stats_count_crm_calls_429s_and_batch_writes(make_sandbox: Callable[..., Running]) -> None:
    hs = make_sandbox(rate_limit_max=4)
    assert _stats(hs) == ZERO
    batch = hs.client().crm.contacts.batch_api
    made = batch.create(
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[
                SimplePublicObjectBatchInputForCreate(properties={"email": f"s{i}@example.com"})
                for i in range(3)
            ]
        )
    )
    ids = [r.id for r in made.results]
    batch.update(
        BatchInputSimplePublicObjectBatchInput(
            inputs=[SimplePublicObjectBatchInput(id=i, properties={"phone": "1"}) for i in ids[:2]]
        )
    )
    # Reads and archives are requests, not batch writes.
    batch.archive(BatchInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=ids[2])]))
    hs.client().crm.contacts.search_api.do_search({"limit": 1})
    with pytest.raises(ApiException) as limited:
        hs.client().crm.contacts.search_api.do_search({"limit": 1})
    assert limited.value.status == 429
    # Admin and OAuth endpoints are not CRM calls; a refused token counts nowhere.
    httpx.post(f"{hs.base}/_sandbox/objects/contacts", json={"properties": {}})
    httpx.get(f"{hs.base}/crm/v3/objects/contacts", headers={"Authorization": "Bearer nope"})
    assert _stats(hs) == {
        "requests": 5,
        "rate_limited": 1,
        "refreshes": 0,
        "batch_writes": 2,
        "batch_records": 5,
    }
    assert httpx.post(f"{hs.base}/_sandbox/reset").status_code == 204
    assert _stats(hs) == ZERO


def test_refreshes_are_counted_and_tokens_reusable_by_default(
    make_sandbox: Callable[..., Running],
) -> None:
    hs = make_sandbox()
    with httpx.Client() as http:
        tokens = _tokens(hs, http)
        for _ in range(2):
            again = _refresh(hs, http, tokens["refresh_token"])
            assert again.json()["refresh_token"] == tokens["refresh_token"]
        assert _refresh(hs, http, "unknown").status_code == 400
    assert _stats(hs)["refreshes"] == 2


def test_rotating_refresh_tokens_are_single_use(make_sandbox: Callable[..., Running]) -> None:
    hs = make_sandbox(rotate_refresh_tokens=True)
    with httpx.Client() as http:
        first = _tokens(hs, http)
        second = _refresh(hs, http, first["refresh_token"]).json()
        assert second["refresh_token"] != first["refresh_token"]
        spent = _refresh(hs, http, first["refresh_token"])
        assert spent.status_code == 400
        assert spent.json()["status"] == "BAD_REFRESH_TOKEN"
        third = _refresh(hs, http, second["refresh_token"]).json()
        assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])
        # Access tokens minted before a rotation still work until they expire…
        for tokens in (first, second, third):
            assert hs.client(tokens["access_token"]).crm.contacts.basic_api.get_page().results == []
        # Revoking a refresh token deletes only it: no more refreshes with it, while the
        # access tokens already minted work until they expire.
        revoked = http.post(
            f"{hs.base}/oauth/2026-03/token/revoke",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "token": third["refresh_token"],
            },
        )
        assert revoked.status_code == 200
        assert _refresh(hs, http, third["refresh_token"]).json()["error"] == "invalid_grant"
        for tokens in (first, second, third):
            assert hs.client(tokens["access_token"]).crm.contacts.basic_api.get_page().results == []
    assert _stats(hs)["refreshes"] == 2


def test_the_admin_surface_lists_live_objects(hs: Running) -> None:
    created = httpx.post(
        f"{hs.base}/_sandbox/objects/contacts", json={"properties": {"email": "a@x.io"}}
    )
    assert created.status_code == 201
    listed = httpx.get(f"{hs.base}/_sandbox/objects/contacts").json()["results"]
    assert [c["properties"]["email"] for c in listed] == ["a@x.io"]
    assert _stats(hs)["requests"] == 0, "the admin surface is not API traffic"
