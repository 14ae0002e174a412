"""Partner webhooks: one subscription receives the events of every workspace the partner
manages (those onboarded later too), signed the Standard Webhooks way, each naming its
workspace; a suspended workspace's events do not reach it; no one else sees it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from standardwebhooks.webhooks import Webhook

from core.container import Services
from core.events.service import emit
from tests.conftest import Api
from tests.core.partners.test_endpoints import inside, make_partner, onboard
from tests.core.webhooks.receiver import Receiver, running_receiver

__all__ = ["make_partner"]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


async def subscribe(
    api: Api, url: str, events: list[str], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """A partner subscription, or (``headers`` given, maybe empty) a workspace's own."""
    path = "/v1/partner/webhooks" if headers is None else "/v1/webhooks"
    created = await api.post(path, json={"url": url, "events": events}, headers=headers or {})
    assert created.status_code == 201, created.text
    return dict(created.json())


async def partner_deliveries(partner: Api, webhook_id: str) -> list[dict[str, Any]]:
    listed = await partner.get(f"/v1/partner/webhooks/{webhook_id}/deliveries")
    assert listed.status_code == 200, listed.text
    return list(listed.json()["data"])


async def test_one_subscription_receives_every_managed_workspaces_events_signed(
    make_partner: Callable[[], Awaitable[Api]], receiver: Receiver, api: Api
) -> None:
    partner, other_partner = await make_partner(), await make_partner()
    first = await onboard(partner, "First")
    hook = await subscribe(partner, receiver.url("/partner"), ["agent.*"])
    assert hook["id"].startswith("wh_") and hook["secret"].startswith("whsec_")
    # Onboarded after the subscription: its events arrive all the same.
    later = await onboard(partner, "Later")
    foreign = await onboard(other_partner, "Someone else's")

    made = {}
    for workspace in (first, later):
        agent = await partner.post(
            "/v1/agents", json={"name": workspace["name"]}, headers=inside(workspace["id"])
        )
        assert agent.status_code == 201, agent.text
        made[workspace["id"]] = agent.json()["id"]

    got = await receiver.wait_for(2, "/partner")
    verifier = Webhook(hook["secret"])
    events = [verifier.verify(r.body, r.headers) for r in got]
    assert {e["workspaceId"]: e["data"]["id"] for e in events} == made
    assert {e["type"] for e in events} == {"agent.created"}
    assert {r.headers["webhook-id"] for r in got} == {
        d["id"] for d in await partner_deliveries(partner, hook["id"])
    }
    assert {d["workspaceId"] for d in await partner_deliveries(partner, hook["id"])} == set(made)

    # Events of a workspace the partner does not manage never become its deliveries: the
    # other workspace's own subscription is the witness that their fan-out has run (a
    # delivery for the partner would have been written in the same transaction).
    for caller, headers in ((other_partner, inside(foreign["id"])), (api, {})):
        witness = receiver.url(f"/witness-{len(receiver.received)}")
        await subscribe(caller, witness, ["agent.*"], headers=headers)
        made_elsewhere = await caller.post("/v1/agents", json={"name": "x"}, headers=headers)
        assert made_elsewhere.status_code == 201, made_elsewhere.text
        await receiver.wait_for(1, witness.removeprefix(receiver.base_url))
    assert {d["workspaceId"] for d in await partner_deliveries(partner, hook["id"])} == set(made)
    assert len(receiver.at("/partner")) == 2


async def test_a_suspended_workspaces_events_are_not_delivered_to_its_partner(
    make_partner: Callable[[], Awaitable[Api]], receiver: Receiver, services: Services
) -> None:
    partner = await make_partner()
    workspace = await onboard(partner)
    hook = await subscribe(partner, receiver.url("/partner"), ["lead.*"])
    # The workspace's own subscription: the witness that an event has been fanned out.
    await subscribe(partner, receiver.url("/own"), ["lead.*"], headers=inside(workspace["id"]))

    async def happen(name: str) -> None:
        # Work a worker does in the workspace (a sync pull, a job): no credential involved.
        async with services.db.session() as session:
            emit(session, workspace_id=workspace["id"], type="lead.created", data={"id": name})

    assert (await partner.post(f"/v1/partner/workspaces/{workspace['id']}/suspend")).is_success
    await happen("lead_while_suspended")
    await receiver.wait_for(1, "/own")
    assert await partner_deliveries(partner, hook["id"]) == []

    assert (await partner.post(f"/v1/partner/workspaces/{workspace['id']}/reactivate")).is_success
    await happen("lead_after")
    got = await receiver.wait_for(1, "/partner")
    await receiver.wait_for(2, "/own")
    event = Webhook(hook["secret"]).verify(got[0].body, got[0].headers)
    assert (event["workspaceId"], event["data"]["id"]) == (workspace["id"], "lead_after")
    assert [d["eventType"] for d in await partner_deliveries(partner, hook["id"])] == [
        "lead.created"
    ]


async def test_a_partner_webhook_is_its_partners_alone(
    make_partner: Callable[[], Awaitable[Api]], api: Api
) -> None:
    partner, other = await make_partner(), await make_partner()
    workspace = await onboard(partner)
    hook = await subscribe(partner, "https://hooks.example.com/in", ["*"])
    path = f"/v1/partner/webhooks/{hook['id']}"

    listed = await partner.get("/v1/partner/webhooks")
    assert [w["id"] for w in listed.json()["data"]] == [hook["id"]]
    assert (await other.get("/v1/partner/webhooks")).json()["data"] == []
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"active": False}),
        ("DELETE", "", None),
        ("GET", "/secret", None),
        ("GET", "/deliveries", None),
    ):
        response = await other.request(method, path + suffix, json=body)
        assert response.status_code == 404, (method, suffix, response.text)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    # Not one of the workspace's subscriptions, even for the partner acting in it.
    in_workspace = await partner.get("/v1/webhooks", headers=inside(workspace["id"]))
    assert in_workspace.json()["data"] == []
    assert (
        await partner.get(f"/v1/webhooks/{hook['id']}", headers=inside(workspace["id"]))
    ).status_code == 404
    # A workspace's own credentials cannot reach the partner routes.
    refused = await api.get("/v1/partner/webhooks")
    assert refused.status_code == 403, refused.text

    updated = await partner.patch(path, json={"events": ["lead.created"], "active": False})
    assert (updated.json()["events"], updated.json()["active"]) == (["lead.created"], False)
    secret = (await partner.get(f"{path}/secret")).json()["secret"]
    rotated = await partner.post(f"{path}/rotate-secret")
    assert rotated.json()["secret"] != secret
    assert (await partner.delete(path)).status_code == 204
    assert (await partner.get(path)).status_code == 404


async def test_bad_partner_webhook_input_is_a_4xx(
    make_partner: Callable[[], Awaitable[Api]],
) -> None:
    partner = await make_partner()
    for body, status in (
        ({"url": "https://hooks.example.com/in", "events": ["no.such_event"]}, 422),
        ({"url": "not a url", "events": ["*"]}, 422),
        ({"events": ["*"]}, 422),
    ):
        response = await partner.post("/v1/partner/webhooks", json=body)
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] != "INTERNAL_ERROR"
    raw = await partner.post(
        "/v1/partner/webhooks",
        content=orjson.dumps({"url": "https://x.example", "events": "*"}),
        headers={"Content-Type": "application/json"},
    )
    assert raw.status_code == 422, raw.text
