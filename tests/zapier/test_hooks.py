"""Zapier's REST hook contract: subscribe, receive signed deliveries, unsubscribe, 410."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook as Verifier

from tests.conftest import Api, Tenant
from tests.core.webhooks.receiver import Receiver, eventually


async def _subscribe(api: Api, url: str, event: str = "lead.created") -> dict[str, Any]:
    response = await api.post("/v1/hooks", json={"targetUrl": url, "event": event})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _lead(api: Api, email: str = "ada@example.com") -> dict[str, Any]:
    response = await api.post("/v1/leads", json={"name": "Ada", "email": email})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_subscribe_deliver_signed_then_unsubscribe(api: Api, receiver: Receiver) -> None:
    hook = await _subscribe(api, receiver.url())
    assert hook["id"].startswith("wh_")
    assert hook["targetUrl"] == receiver.url() and hook["event"] == "lead.created"
    assert hook["active"] is True

    # Underneath it is a webhook subscription: its secret verifies the delivery.
    secret = (await api.get(f"/v1/webhooks/{hook['id']}/secret")).json()["secret"]
    lead = await _lead(api)
    (arrived,) = await receiver.wait_for(1)
    body = Verifier(secret).verify(arrived.body, arrived.headers)
    assert body["type"] == "lead.created" and body["data"]["id"] == lead["id"]
    assert body["id"].startswith("evt_")
    # The polling feed carries the same event with the same id (Zapier deduplicates on it).
    feed = (await api.get("/v1/events", params={"type": "lead.created", "limit": 5})).json()
    assert feed["data"][0]["id"] == body["id"]

    gone = await api.delete(f"/v1/hooks/{hook['id']}")
    assert gone.status_code == 204, gone.text
    assert (await api.get(f"/v1/webhooks/{hook['id']}")).status_code == 404
    await _lead(api, "grace@example.com")
    await asyncio.sleep(1.0)
    # At least once: a retry may repeat the first message, but no new one arrives.
    assert {orjson.loads(r.body)["id"] for r in receiver.at("/hook")} == {body["id"]}
    again = await api.delete(f"/v1/hooks/{hook['id']}")
    assert again.status_code == 404 and again.json()["error"]["code"] == "NOT_FOUND"


async def test_several_events_in_one_hook(api: Api, receiver: Receiver) -> None:
    hook = await _subscribe(api, receiver.url(), "lead.qualified,lead.converted")
    assert hook["events"] == ["lead.qualified", "lead.converted"]
    lead = await _lead(api)
    await api.patch(f"/v1/leads/{lead['id']}", json={"name": "Ada L."})
    await api.patch(f"/v1/leads/{lead['id']}", json={"status": "qualified"})
    (arrived,) = await receiver.wait_for(1)
    assert orjson.loads(arrived.body)["type"] == "lead.qualified"
    await api.delete(f"/v1/hooks/{hook['id']}")


async def test_a_target_answering_410_is_unsubscribed(api: Api, receiver: Receiver) -> None:
    receiver.default = (410, {})
    hook = await _subscribe(api, receiver.url())
    await _lead(api)
    await receiver.wait_for(1)

    async def disabled() -> bool:
        state = (await api.get(f"/v1/webhooks/{hook['id']}")).json()
        return state["active"] is False

    await eventually(disabled, 20, "the subscription to be switched off")
    await _lead(api, "grace@example.com")
    await asyncio.sleep(1.0)
    assert len(receiver.at("/hook")) == 1


async def test_unknown_events_and_bad_urls_are_refused(api: Api, receiver: Receiver) -> None:
    unknown = await api.post("/v1/hooks", json={"targetUrl": receiver.url(), "event": "nope.x"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "VALIDATION_FAILED"
    bad = await api.post("/v1/hooks", json={"targetUrl": "not a url", "event": "lead.created"})
    assert bad.status_code == 422


async def test_only_rest_hooks_can_be_deleted_here(api: Api, receiver: Receiver) -> None:
    plain = await api.post("/v1/webhooks", json={"url": receiver.url(), "events": ["lead.*"]})
    assert plain.status_code == 201
    refused = await api.delete(f"/v1/hooks/{plain.json()['id']}")
    assert refused.status_code == 404
    assert (await api.get(f"/v1/webhooks/{plain.json()['id']}")).status_code == 200


async def test_hooks_are_isolated_per_workspace(
    api: Api,
    receiver: Receiver,
    http: Any,
    make_tenant: Callable[[], Awaitable[Tenant]],
) -> None:
    hook = await _subscribe(api, receiver.url())
    other = Api(http, await (await make_tenant()).key())
    assert (await other.delete(f"/v1/hooks/{hook['id']}")).status_code == 404
    # Another workspace's leads never reach this hook.
    await _lead(other)
    await asyncio.sleep(1.0)
    assert receiver.at("/hook") == []
    assert (await api.delete(f"/v1/hooks/{hook['id']}")).status_code == 204


async def test_scopes(http: Any, tenant: Tenant, receiver: Receiver) -> None:
    reader = Api(http, await tenant.key(["leads:read", "webhooks:read"]))
    denied = await reader.post(
        "/v1/hooks", json={"targetUrl": receiver.url(), "event": "lead.created"}
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["requiredScope"] == "webhooks:write"
