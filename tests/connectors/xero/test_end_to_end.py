"""Xero end to end: connected through the sandbox's PKCE consent (the organisation taken from
Xero's connections), payments pushed as paid invoices and refunds as credit notes with the
real xero-python library over HTTP, retries that never duplicate, ten workers refreshing one
expired single-use token at once, and the webhook intent-to-receive handshake."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from core.connections.models import Connection, SyncItem
from core.container import Services
from sync.engine import push_connection
from sync.pipeline.fanout import fan_out_pending
from sync.runtime import build_sync_deps
from tests.conftest import Tenant
from tests.connectors.xero.conftest import XeroSandbox
from tests.support.consent import approve

WEBHOOKS = "/v1/connectors/xero/webhooks"


class Hub:
    def __init__(self, http: httpx.AsyncClient, key: str, app: FastAPI) -> None:
        self.http, self.key, self.app = http, key, app

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}"}
        return await self.http.request(method, path, headers=headers, **kwargs)

    def deps(self) -> Any:
        services: Services = self.app.state.services
        return build_sync_deps(
            services.db, services.settings, services.secrets, services.locks, services.redis
        )

    async def push(self, connection_id: str, *, records: int = 0) -> None:
        """Pushes what is queued until nothing is pending and ``records`` more items are done
        than before (the event's fan-out queues the work a moment after the API call). The
        app's own worker may push them first: what counts is the queue's state, not who
        pushed."""
        services: Services = self.app.state.services
        done_before = await self._items(connection_id, "done")
        for _ in range(300):
            await fan_out_pending(services.db)  # the dispatcher's run: events become items
            stats = await push_connection(self.deps(), connection_id)
            assert stats.failed == 0, stats
            assert await self._items(connection_id, "failed") == 0
            done = await self._items(connection_id, "done") - done_before
            if done >= records and await self._items(connection_id, "pending") == 0:
                return
            await asyncio.sleep(0.1)
        pytest.fail("the push did not happen")

    async def backfilled(self) -> None:
        """Waits for the full sync a new connection starts (it queues the leads there are)."""
        for _ in range(600):
            jobs = (await self.api("GET", "/v1/jobs")).json()["data"]
            syncs = [j for j in jobs if j["type"] == "connection.sync"]
            if syncs and all(j["status"] in ("succeeded", "failed") for j in syncs):
                assert {j["status"] for j in syncs} == {"succeeded"}, syncs
                return
            await asyncio.sleep(0.05)
        pytest.fail("the connection's full sync did not finish")

    async def push_through_retries(self, connection_id: str) -> list[SyncItem]:
        """Pushes until no item is pending, letting each retry's wait pass at once (the
        sweeper would send the push when it is due); returns the connection's items."""
        services: Services = self.app.state.services
        for _ in range(300):
            await fan_out_pending(services.db)
            await push_connection(self.deps(), connection_id)
            async with services.db.session() as session:
                items = list(
                    await session.scalars(
                        select(SyncItem).where(SyncItem.connection_id == connection_id)
                    )
                )
                if items and all(i.state != "pending" for i in items):
                    return items
                await session.execute(
                    update(SyncItem)
                    .where(SyncItem.connection_id == connection_id, SyncItem.state == "pending")
                    .values(next_attempt_at=None)
                )
                await session.commit()
            await asyncio.sleep(0.05)
        pytest.fail("the items stayed pending")

    async def _items(self, connection_id: str, state: str) -> int:
        services: Services = self.app.state.services
        async with services.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(SyncItem)
                .where(SyncItem.connection_id == connection_id, SyncItem.state == state)
            )
        return int(count or 0)


@pytest.fixture
async def hub(hubwire: httpx.AsyncClient, xero_app: FastAPI, tenant: Tenant) -> Hub:
    return Hub(hubwire, await tenant.key(), xero_app)


async def _connect(hub: Hub, xero: XeroSandbox) -> dict[str, Any]:
    created = await hub.api("POST", "/v1/connections", json={"connector": "xero"})
    assert created.status_code == 201, created.text
    authorize = created.json()["authorizeUrl"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    callback = urlsplit(await approve(authorize))
    landed = await hub.http.get(f"{callback.path}?{callback.query}")
    assert landed.status_code < 400, landed.text
    connection: dict[str, Any] = (
        await hub.api("GET", f"/v1/connections/{created.json()['id']}")
    ).json()
    assert connection["status"] == "active", connection
    return connection


async def test_a_payment_is_a_paid_invoice_and_a_refund_a_credit_note(
    hub: Hub, xero: XeroSandbox
) -> None:
    connection = await _connect(hub, xero)
    [organisation] = xero.state()["tenants"]
    assert connection["accountId"] == organisation["tenantId"]
    assert connection["settings"]["tenantId"] == organisation["tenantId"]
    paid = await hub.api(
        "POST",
        "/v1/payments",
        json={"amount": 4900, "currency": "GBP", "customerName": "Ada Lovelace"},
    )
    assert paid.status_code == 201, paid.text
    await hub.push(connection["id"], records=1)
    state = xero.state()
    [invoice] = state["invoices"]
    assert (invoice["Type"], invoice["Status"], invoice["Total"]) == ("ACCREC", "PAID", 49.0)
    assert invoice["Contact"]["Name"] == "Ada Lovelace"
    assert len(state["payments"]) == 1

    refund = await hub.api(
        "PATCH", f"/v1/payments/{paid.json()['id']}", json={"refundedAmount": 900}
    )
    assert refund.status_code == 200, refund.text
    await hub.push(connection["id"], records=1)
    await hub.push(connection["id"])  # nothing left: a later push changes nothing
    state = xero.state()
    [note] = state["creditNotes"]
    assert (note["Type"], note["Total"], note["Status"]) == ("ACCRECCREDIT", 9.0, "PAID")
    assert len(state["invoices"]) == 1 and len(state["payments"]) == 2


async def test_the_payment_of_a_lead_that_never_converts_is_booked_once_after_retries(
    hub: Hub, xero: XeroSandbox
) -> None:
    connection = await _connect(hub, xero)
    await hub.backfilled()  # the lead comes after: only its payment can bring it to Xero
    lead = (
        await hub.api("POST", "/v1/leads", json={"name": "Grace Hopper", "email": "gh@example.com"})
    ).json()
    # Xero makes the contact and the invoice but both answers are lost: the push is retried.
    # (Set before the payment: the app's own worker may push it at once.)
    xero.lose("Contacts")
    xero.lose("Invoices")
    paid = await hub.api(
        "POST",
        "/v1/payments",
        json={"amount": 2500, "currency": "GBP", "customerEmail": "gh@example.com"},
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["leadId"] == lead["id"]
    items = await hub.push_through_retries(connection["id"])
    assert {(i.state, i.object_type, i.hubwire_id) for i in items} == {
        ("done", "invoice", paid.json()["id"])
    }
    # Retried: once for the lost contact, once for the lost invoice.
    assert max(i.attempts for i in items) >= 2
    state = xero.state()
    [contact] = state["contacts"]
    assert (contact["Name"], contact["ContactNumber"]) == ("Grace Hopper", lead["id"])
    [invoice] = state["invoices"]
    assert (invoice["Status"], invoice["Total"]) == ("PAID", 25.0)
    assert invoice["Contact"]["ContactID"] == contact["ContactID"]
    assert len(state["payments"]) == 1

    # Converting later finds the lead's contact: still one.
    converted = await hub.api("PATCH", f"/v1/leads/{lead['id']}", json={"status": "converted"})
    assert converted.status_code == 200, converted.text
    await hub.push(connection["id"], records=1)
    assert [c["ContactID"] for c in xero.state()["contacts"]] == [contact["ContactID"]]


async def test_ten_workers_on_an_expired_token_spend_the_refresh_token_once(
    hub: Hub, xero: XeroSandbox, xero_app: FastAPI
) -> None:
    connection = await _connect(hub, xero)
    xero.expire_tokens()
    services: Services = xero_app.state.services
    async with services.db.session() as session:
        await session.execute(
            update(Connection)
            .where(Connection.id == connection["id"])
            .values(token_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    vault = hub.deps().vault
    contexts = await asyncio.gather(*(vault.context(connection["id"]) for _ in range(10)))
    tokens = {c.credentials["access_token"] for c in contexts}
    state = xero.state()
    assert state["refreshes"] == 1
    assert state["revoked"] == []
    assert len(tokens) == 1
    # The refreshed token works: a check reads the organisation.
    checked = await hub.api("POST", f"/v1/connections/{connection['id']}/test")
    assert checked.status_code == 200, checked.text


async def test_the_webhook_handshake_answers_200_to_a_good_signature_401_to_a_bad_one(
    hub: Hub, xero: XeroSandbox
) -> None:
    good = xero.webhook([])
    bad = xero.webhook([], bad_key=True)
    for delivery, status in ((good, 200), (bad, 401)):
        response = await hub.http.post(
            WEBHOOKS, content=delivery["body"], headers=delivery["headers"]
        )
        assert response.status_code == status, response.text
