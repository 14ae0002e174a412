"""Stripe end to end: connected through the sandbox's Connect OAuth consent, payments made
"on Stripe" (the sandbox's admin surface) arrive as events signed as Stripe signs them,
which wake the pull that reads the account's event log into payments, leads' links and
Hubwire events. Every Stripe call is the `stripe` library over real HTTP to the sandbox; the
webhooks delivered are exactly the requests the sandbox signed (its outbox)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from connectors.stripe.sandbox import DEFAULT_ACCOUNT_ID, DEFAULT_SIGNING_SECRET
from connectors.stripe.sandbox.store import sign
from core.container import Services
from core.tasks import PULL_TASK
from sync.engine import PullStats, pull_connection
from sync.runtime import build_sync_deps
from tests.conftest import Api, Tenant
from tests.connectors.stripe.conftest import WEBHOOKS, StripeSandbox
from tests.support.consent import approve
from tests.support.sync_runs import when_free
from tests.support.tasks import Sent


class Hubwire:
    """The API as a workspace's key sees it, plus what the worker would do."""

    def __init__(self, http: httpx.AsyncClient, key: str, app: FastAPI, sent: Sent) -> None:
        self.http, self.key, self.app, self.sent = http, key, app, sent

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await Api(self.http, self.key).request(method, path, **kwargs)

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.api("GET", path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def deliver(self, message: dict[str, Any], **changes: Any) -> httpx.Response:
        headers = {**message["headers"], **changes.get("headers", {})}
        body = changes.get("body", message["body"])
        return await self.http.post(WEBHOOKS, content=body, headers=headers)

    async def pull(self, connection_id: str) -> PullStats:
        services: Services = self.app.state.services
        deps = build_sync_deps(
            services.db, services.settings, services.secrets, services.locks, services.redis
        )
        stats = await when_free(lambda: pull_connection(deps, connection_id))
        assert stats.stopped is None and stats.failed == 0, stats
        return stats

    async def payments(self, **params: Any) -> list[dict[str, Any]]:
        return list((await self.get("/v1/payments", limit=100, **params))["data"])

    async def events(self, resource_id: str) -> list[str]:
        page = await self.get("/v1/events", sort="timestamp", limit=100)
        return [e["type"] for e in page["data"] if e["data"].get("id") == resource_id]


@pytest.fixture
async def hub(
    hubwire: httpx.AsyncClient, stripe_app: FastAPI, tenant: Tenant, monkeypatch: Any
) -> Hubwire:
    sent = Sent()
    monkeypatch.setitem(stripe_app.state.services.db.session_info, "task_queue", sent)
    return Hubwire(hubwire, await tenant.key(), stripe_app, sent)


async def _connect(hub: Hubwire, stripe: StripeSandbox) -> dict[str, Any]:
    created = await hub.api("POST", "/v1/connections", json={"connector": "stripe"})
    assert created.status_code == 201, created.text
    authorize = created.json()["authorizeUrl"]
    assert authorize.startswith(f"{stripe.url}/oauth/authorize")
    assert "scope=read_only" in authorize
    callback = urlsplit(await approve(authorize))
    landed = await hub.http.get(f"{callback.path}?{callback.query}")
    assert landed.status_code < 400, landed.text
    connection: dict[str, Any] = await hub.get(f"/v1/connections/{created.json()['id']}")
    assert connection["status"] == "active", connection
    await hub.pull(connection["id"])  # the backfill activation asks for
    hub.sent.tasks.clear()
    return connection


async def test_connect_finds_the_connect_endpoint_and_backfills_earlier_payments(
    hub: Hubwire, stripe: StripeSandbox
) -> None:
    earlier = stripe.pay(2500, email="early@example.com", silent=True)
    connection = await _connect(hub, stripe)
    assert connection["accountId"] == DEFAULT_ACCOUNT_ID
    assert connection["settings"]["webhookEndpoint"].startswith("we_")
    [payment] = await hub.payments()
    assert payment["providerId"] == earlier["id"]
    assert payment["provider"] == "stripe"
    assert (payment["amount"], payment["currency"], payment["status"]) == (2500, "GBP", "succeeded")


async def test_a_payment_end_to_end_then_a_refund(hub: Hubwire, stripe: StripeSandbox) -> None:
    lead = (await hub.api("POST", "/v1/leads", json={"email": "ada@example.com"})).json()
    connection = await _connect(hub, stripe)
    intent = stripe.pay(4900, email="Ada@Example.com", name="Ada", description="Pro plan")
    [message] = stripe.outbox("payment_intent.succeeded")
    delivered = await hub.deliver(message)
    assert delivered.status_code == 202, delivered.text
    assert (PULL_TASK, (connection["id"],)) in hub.sent.tasks
    # The pull this test runs, or one the app's own worker ran first: one payment either way.
    await hub.pull(connection["id"])
    [payment] = await hub.payments()
    assert payment["providerId"] == intent["id"]
    assert payment["leadId"] == lead["id"]
    assert payment["status"] == "succeeded"
    assert payment["customerName"] == "Ada"
    assert payment["description"] == "Pro plan"

    stripe.refund(intent["id"], 900)
    await hub.deliver(stripe.outbox("charge.refunded")[0])
    await hub.pull(connection["id"])
    [refunded] = await hub.payments()
    assert (refunded["status"], refunded["refundedAmount"]) == ("partially_refunded", 900)
    assert await hub.events(payment["id"]) == ["payment.completed", "payment.refunded"]


async def test_a_failed_payment_and_a_checkout_session(hub: Hubwire, stripe: StripeSandbox) -> None:
    connection = await _connect(hub, stripe)
    failed = stripe.pay(1200, outcome="failed", email="bob@example.com")
    paid = stripe.pay(3000, currency="eur", checkout=True, email="cy@example.com", phone="+331")
    for message in stripe.outbox():
        assert (await hub.deliver(message)).status_code == 202
    await hub.pull(connection["id"])
    by_id = {p["providerId"]: p for p in await hub.payments()}
    assert by_id[failed["id"]]["status"] == "failed"
    assert by_id[failed["id"]]["failureReason"] == "card_declined"
    assert by_id[paid["id"]]["status"] == "succeeded"
    assert by_id[paid["id"]]["currency"] == "EUR"
    assert await hub.events(by_id[failed["id"]]["id"]) == ["payment.failed"]
    assert await hub.events(by_id[paid["id"]]["id"]) == ["payment.completed"]


async def test_an_event_sent_twice_is_applied_once(hub: Hubwire, stripe: StripeSandbox) -> None:
    connection = await _connect(hub, stripe)
    stripe.pay(4900, email="ada@example.com")
    [message] = stripe.outbox("payment_intent.succeeded")
    await hub.deliver(message)
    await hub.pull(connection["id"])
    # Stripe sends it again (it did not see our 200): same event id, signed anew.
    stripe.resend(json.loads(message["body"])["id"])
    again = stripe.outbox("payment_intent.succeeded")[-1]
    assert again["event_id"] == message["event_id"]
    assert (await hub.deliver(again)).status_code == 202
    stats = await hub.pull(connection["id"])
    assert stats.created == stats.updated == 0
    [payment] = await hub.payments()
    assert await hub.events(payment["id"]) == ["payment.completed"]


async def test_a_refund_seen_before_its_success_ends_refunded(
    hub: Hubwire, stripe: StripeSandbox
) -> None:
    connection = await _connect(hub, stripe)
    intent = stripe.pay(5000, email="ada@example.com")
    stripe.refund(intent["id"])  # in full
    success, refund = (
        stripe.outbox("payment_intent.succeeded")[0],
        stripe.outbox("charge.refunded")[0],
    )
    assert (await hub.deliver(refund)).status_code == 202
    await hub.pull(connection["id"])
    assert (await hub.deliver(success)).status_code == 202
    await hub.pull(connection["id"])
    [payment] = await hub.payments()
    assert (payment["status"], payment["refundedAmount"]) == ("refunded", 5000)
    assert await hub.events(payment["id"]) == ["payment.completed", "payment.refunded"]


async def test_events_missed_while_down_are_read_by_the_next_pull(
    hub: Hubwire, stripe: StripeSandbox
) -> None:
    connection = await _connect(hub, stripe)
    first = stripe.pay(100, email="a@example.com")
    second = stripe.pay(200, email="b@example.com")
    stripe.refund(first["id"], 50)
    # No webhook reached Hubwire; the scheduled pull reads the event log.
    await hub.pull(connection["id"])
    by_id = {p["providerId"]: p for p in await hub.payments()}
    assert by_id[first["id"]]["status"] == "partially_refunded"
    assert by_id[second["id"]]["status"] == "succeeded"


async def test_bad_signatures_are_refused_and_change_nothing(
    hub: Hubwire, stripe: StripeSandbox
) -> None:
    connection = await _connect(hub, stripe)
    stripe.pay(4900, email="ada@example.com")
    [message] = stripe.outbox("payment_intent.succeeded")
    event = json.loads(message["body"])
    tampered = json.dumps({**event, "account": "acct_someone_else"})
    now = int(time.time())
    cases = [
        {"body": tampered},
        {"headers": {"stripe-signature": sign(message["body"], "whsec_wrong", now)}},
        {"headers": {"stripe-signature": sign(message["body"], DEFAULT_SIGNING_SECRET, now - 301)}},
        {"headers": {"stripe-signature": ""}},
    ]
    for changes in cases:
        response = await hub.deliver(message, **changes)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert hub.sent.tasks == []
    assert await hub.payments() == []
    assert connection["status"] == "active"
