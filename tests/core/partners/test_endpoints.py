"""Partners: one key onboards and manages many workspaces, and never reaches any other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from aiohttp import web
from standardwebhooks.webhooks import Webhook

from core.container import Services
from tests.conftest import Api, Tenant
from tests.core.jobs.polling import wait_for_job
from tests.support.live_server import free_port
from tests.support.partners import partner_key

GRANTED = [
    "agents:read",
    "agents:write",
    "calls:read",
    "calls:write",
    "jobs:read",
    "leads:read",
    "usage:read",
    "webhooks:read",
    "webhooks:write",
]
BOUND_SCOPES = ["agents:read", "agents:write", "calls:read", "calls:write", "jobs:read"]
Received = asyncio.Queue[tuple[bytes, dict[str, str]]]


@pytest.fixture
def make_partner(services: Services, http: httpx.AsyncClient) -> Callable[[], Awaitable[Api]]:
    async def make() -> Api:
        plaintext = await partner_key(services, GRANTED, tier="enterprise")
        assert plaintext.startswith("hwp_live_")
        return Api(http, plaintext)

    return make


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, Received]]:
    received: Received = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        await received.put((await request.read(), dict(request.headers)))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/hooks", received
    finally:
        await runner.cleanup()


async def onboard(partner: Api, name: str = "Rosa's Plumbing") -> dict[str, Any]:
    created = await partner.post(
        "/v1/partner/workspaces", json={"name": name, "contactEmail": "rosa@example.com"}
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def mint(partner: Api, workspace_id: str, scopes: list[str] = BOUND_SCOPES) -> str:
    minted = await partner.post(
        f"/v1/partner/workspaces/{workspace_id}/keys", json={"name": "bound", "scopes": scopes}
    )
    assert minted.status_code == 201, minted.text
    return str(minted.json()["key"])


def inside(workspace_id: str) -> dict[str, str]:
    return {"Hubwire-Workspace": workspace_id}


async def test_onboard_mint_and_analyse_a_call_with_a_signed_callback(
    make_partner: Callable[[], Awaitable[Api]],
    http: httpx.AsyncClient,
    receiver: tuple[str, Received],
) -> None:
    partner = await make_partner()
    workspace = await onboard(partner)
    assert workspace["id"].startswith("ws_")
    assert (workspace["status"], workspace["name"]) == ("active", "Rosa's Plumbing")
    bound = Api(http, await mint(partner, workspace["id"]))

    agent = (await bound.post("/v1/agents", json={"name": "Rosa", "kind": "human"})).json()
    call = await bound.post("/v1/calls", json={"agentId": agent["id"], "outcome": "booked"})
    assert call.status_code == 201, call.text
    call_id = call.json()["id"]
    text = {"text": "Thanks, that was really helpful. Great service, see you Thursday."}
    assert (await bound.post(f"/v1/calls/{call_id}/transcript", json=text)).is_success
    url, received = receiver
    queued = await bound.post(f"/v1/calls/{call_id}/analysis", json={"callbackUrl": url})
    assert queued.status_code == 202, queued.text
    job = await wait_for_job(bound, queued.json()["jobId"])
    assert job["status"] == "succeeded"

    body, headers = await asyncio.wait_for(received.get(), timeout=30)
    secret = (await bound.get("/v1/jobs/callback-secret")).json()["secret"]
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "job.completed"
    assert payload["workspaceId"] == workspace["id"]
    assert payload["data"]["result"] == job["result"]

    # The partner itself, naming the workspace, sees the same records, with its granted scopes.
    seen = await partner.get("/v1/calls", headers=inside(workspace["id"]))
    assert seen.status_code == 200, seen.text
    assert [c["id"] for c in seen.json()["data"]] == [call_id]
    assert seen.json()["data"][0]["agentId"] == agent["id"]
    ungranted = await partner.get("/v1/appointments", headers=inside(workspace["id"]))
    assert ungranted.status_code == 403
    assert ungranted.json()["error"]["details"]["requiredScope"] == "appointments:read"


async def test_a_partner_key_acts_only_in_a_workspace_it_names_and_manages(
    make_partner: Callable[[], Awaitable[Api]], tenant: Tenant
) -> None:
    partner = await make_partner()
    first, second = await onboard(partner, "First"), await onboard(partner, "Second")
    made = await partner.post("/v1/agents", json={"name": "Only here"}, headers=inside(first["id"]))
    assert made.status_code == 201, made.text
    in_first = (await partner.get("/v1/agents", headers=inside(first["id"]))).json()["data"]
    in_second = (await partner.get("/v1/agents", headers=inside(second["id"]))).json()["data"]
    assert ([a["id"] for a in in_first], in_second) == ([made.json()["id"]], [])

    # No workspace named: a clear 400 instead of acting somewhere.
    nowhere = await partner.get("/v1/agents")
    assert nowhere.status_code == 400
    assert nowhere.json()["error"]["details"]["header"] == "Hubwire-Workspace"
    # A workspace the partner does not manage does not exist for it.
    foreign = await partner.get("/v1/agents", headers=inside(tenant.id))
    assert foreign.status_code == 404
    assert foreign.json()["error"]["code"] == "NOT_FOUND"

    listed = await partner.get("/v1/partner/workspaces", params={"limit": 1, "sort": "createdAt"})
    page = listed.json()
    assert [w["id"] for w in page["data"]] == [first["id"]]
    assert page["pagination"]["hasMore"] is True
    rest = await partner.get(
        "/v1/partner/workspaces",
        params={"limit": 1, "sort": "createdAt", "cursor": page["pagination"]["nextCursor"]},
    )
    assert [w["id"] for w in rest.json()["data"]] == [second["id"]]
    found = await partner.get("/v1/partner/workspaces", params={"search": "secon"})
    assert [w["id"] for w in found.json()["data"]] == [second["id"]]


async def test_a_second_partner_sees_nothing_of_the_first(
    make_partner: Callable[[], Awaitable[Api]],
) -> None:
    first, second = await make_partner(), await make_partner()
    workspace = await onboard(first)
    assert (
        await first.post(
            "/v1/webhooks",
            headers=inside(workspace["id"]),
            json={"url": "https://hooks.example.com/in", "events": ["*"]},
        )
    ).status_code == 201
    listed = await second.get("/v1/partner/workspaces")
    assert listed.json()["data"] == []
    ws = workspace["id"]
    attempts = [
        ("GET", f"/v1/partner/workspaces/{ws}", None, {}),
        ("POST", f"/v1/partner/workspaces/{ws}/suspend", None, {}),
        ("POST", f"/v1/partner/workspaces/{ws}/keys", {"name": "x", "scopes": ["calls:read"]}, {}),
        ("GET", "/v1/agents", None, inside(ws)),
        ("GET", "/v1/webhooks", None, inside(ws)),
        ("GET", "/v1/usage", None, inside(ws)),
        ("POST", "/v1/calls", {}, inside(ws)),
    ]
    for method, path, body, headers in attempts:
        response = await second.request(method, path, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    # And the first partner's workspace is untouched.
    assert (await first.get(f"/v1/partner/workspaces/{ws}")).json()["status"] == "active"


async def test_a_bound_key_cannot_leave_its_workspace(
    make_partner: Callable[[], Awaitable[Api]], http: httpx.AsyncClient, tenant: Tenant
) -> None:
    partner = await make_partner()
    home, other = await onboard(partner, "Home"), await onboard(partner, "Other")
    bound = Api(http, await mint(partner, home["id"]))
    assert (await bound.get("/v1/agents", headers=inside(home["id"]))).status_code == 200
    for workspace_id in (other["id"], tenant.id):
        response = await bound.get("/v1/agents", headers=inside(workspace_id))
        assert response.status_code == 404, response.text
    # Nor can it manage workspaces, or hold more than the partner was granted.
    assert (await bound.get("/v1/partner/workspaces")).status_code == 403
    too_much = await partner.post(
        f"/v1/partner/workspaces/{home['id']}/keys",
        json={"name": "x", "scopes": ["calls:read", "keys:write"]},
    )
    assert too_much.status_code == 403
    assert too_much.json()["error"]["details"]["scopes"] == ["keys:write"]


async def test_suspending_a_workspace_refuses_its_keys_with_a_clear_403(
    make_partner: Callable[[], Awaitable[Api]], http: httpx.AsyncClient
) -> None:
    partner = await make_partner()
    workspace = await onboard(partner)
    bound = Api(http, await mint(partner, workspace["id"]))
    assert (await bound.get("/v1/agents")).status_code == 200

    suspended = await partner.post(f"/v1/partner/workspaces/{workspace['id']}/suspend")
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    for response in (
        await bound.get("/v1/agents"),
        await partner.get("/v1/agents", headers=inside(workspace["id"])),
    ):
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["code"] == "FORBIDDEN"
        assert "suspended" in error["message"]
        assert error["details"]["workspaceStatus"] == "suspended"
    minted = await partner.post(
        f"/v1/partner/workspaces/{workspace['id']}/keys",
        json={"name": "x", "scopes": ["calls:read"]},
    )
    assert minted.status_code == 403
    listed = await partner.get("/v1/partner/workspaces", params={"status": "suspended"})
    assert [w["id"] for w in listed.json()["data"]] == [workspace["id"]]

    back = await partner.post(f"/v1/partner/workspaces/{workspace['id']}/reactivate")
    assert back.json()["status"] == "active"
    assert (await bound.get("/v1/agents")).status_code == 200


async def test_bad_partner_input_is_a_4xx(make_partner: Callable[[], Awaitable[Api]]) -> None:
    partner = await make_partner()
    for body in ({}, {"name": "x"}, {"name": "x", "contactEmail": "nope"}):
        response = await partner.post("/v1/partner/workspaces", json=body)
        assert response.status_code == 422, response.text
    bad_slug = await partner.post(
        "/v1/partner/workspaces",
        json={"name": "x", "slug": "Not A Slug", "contactEmail": "a@example.com"},
    )
    assert bad_slug.status_code == 400
    workspace = await onboard(partner)
    unknown = await partner.post(
        f"/v1/partner/workspaces/{workspace['id']}/keys", json={"name": "x", "scopes": ["nope"]}
    )
    assert unknown.status_code == 422


async def test_one_idempotency_key_in_two_workspaces_is_two_requests(
    make_partner: Callable[[], Awaitable[Api]],
) -> None:
    partner = await make_partner()
    first, second = await onboard(partner, "First"), await onboard(partner, "Second")
    made = []
    for workspace in (first, second, first):
        response = await partner.post(
            "/v1/agents",
            json={"name": "Same"},
            headers={**inside(workspace["id"]), "Idempotency-Key": "onboard-agent-1"},
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    # The second workspace got its own agent; the first's repeat is a replay.
    assert made[0] != made[1] and made[2] == made[0]
    for workspace, agent_id in ((first, made[0]), (second, made[1])):
        listed = await partner.get("/v1/agents", headers=inside(workspace["id"]))
        assert [a["id"] for a in listed.json()["data"]] == [agent_id]
