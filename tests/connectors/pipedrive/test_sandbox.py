"""The sandbox's own behaviour: Pipedrive's error bodies, validation, OAuth answers."""

from __future__ import annotations

import base64

import httpx
from fastapi import FastAPI

from connectors.pipedrive.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, create_sandbox
from tests.connectors.pipedrive.conftest import STATIC_TOKEN, PipedriveSandbox

BASIC = base64.b64encode(f"{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}".encode()).decode()


async def _token(app: FastAPI, prefix: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as http:
        approved = await http.post(
            f"{prefix}/oauth/authorize",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": "http://x/cb",
                "decision": "approve",
            },
        )
        code = httpx.URL(approved.headers["location"]).params["code"]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://x/cb"}
        in_body = await http.post(
            f"{prefix}/oauth/token",
            data={**form, "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET},
        )
        assert in_body.status_code == 401  # Pipedrive takes the app's credentials as Basic
        return await http.post(
            f"{prefix}/oauth/token", data=form, headers={"Authorization": f"Basic {BASIC}"}
        )


async def test_the_token_answer_names_the_api_domain_where_the_sandbox_is_mounted() -> None:
    outer = FastAPI()
    outer.mount("/sandbox/pipedrive", create_sandbox())
    mounted = (await _token(outer, "/sandbox/pipedrive")).json()
    assert mounted["api_domain"] == "http://localhost:8000/sandbox/pipedrive"
    assert mounted["token_type"] == "Bearer" and mounted["refresh_token"]
    alone = (await _token(create_sandbox(), "")).json()
    assert alone["api_domain"] == "http://localhost:8000"


def test_validation_errors_have_pipedrives_body(pipedrive: PipedriveSandbox) -> None:
    headers = {"Authorization": f"Bearer {STATIC_TOKEN}"}
    refused = httpx.post(
        f"{pipedrive.url}/api/v2/persons", json={"name": "A", "nickname": "x"}, headers=headers
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["success"] is False and "nickname" in body["error"]
    assert body["error_info"].startswith("Please check developers.pipedrive.com")
    lead = httpx.post(f"{pipedrive.url}/v1/leads", json={"title": "T"}, headers=headers)
    assert lead.status_code == 400 and "person or an organization" in lead.json()["error"]
    unknown = httpx.get(f"{pipedrive.url}/v1/deals", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["success"] is False
    anonymous = httpx.get(f"{pipedrive.url}/v1/users/me")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthorized access"


def test_every_answer_carries_the_rate_limit_headers(pipedrive: PipedriveSandbox) -> None:
    me = httpx.get(
        f"{pipedrive.url}/v1/users/me", headers={"Authorization": f"Bearer {STATIC_TOKEN}"}
    )
    assert me.status_code == 200
    assert me.headers["x-ratelimit-limit"] == "40"
    assert int(me.headers["x-ratelimit-remaining"]) == 39
    assert int(me.headers["x-daily-ratelimit-token-remaining"]) == 300_000 - 2
