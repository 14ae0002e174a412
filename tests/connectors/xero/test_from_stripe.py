"""The whole way: a customer pays on Stripe, the signed event reaches Hubwire, the payment is
recorded and linked to its lead, `payment.completed` is emitted, and the Xero organisation
gets the invoice, paid; a refund on Stripe ends as a credit note in Xero. Both providers are
their sandboxes over HTTP, driven by the real `stripe` and `xero-python` libraries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.stripe.sandbox import DEFAULT_CLIENT_ID as STRIPE_ID
from connectors.stripe.sandbox import DEFAULT_CLIENT_SECRET as STRIPE_SECRET
from connectors.stripe.sandbox import DEFAULT_SIGNING_SECRET as STRIPE_SIGNING
from connectors.xero.sandbox import DEFAULT_CLIENT_ID as XERO_ID
from connectors.xero.sandbox import DEFAULT_CLIENT_SECRET as XERO_SECRET
from connectors.xero.sandbox import DEFAULT_WEBHOOK_KEY as XERO_KEY
from core.app import create_app
from core.settings import ConnectorClient, Settings
from tests.conftest import Tenant
from tests.connectors.stripe import conftest as stripe_support
from tests.connectors.stripe.test_end_to_end import Hubwire as StripeHub
from tests.connectors.stripe.test_end_to_end import _connect as connect_stripe
from tests.connectors.xero.conftest import BASE, XeroSandbox
from tests.connectors.xero.test_end_to_end import Hub as XeroHub
from tests.connectors.xero.test_end_to_end import _connect as connect_xero
from tests.support.tasks import Sent


@pytest.fixture
async def both(
    settings: Settings, xero: XeroSandbox, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[FastAPI, stripe_support.StripeSandbox]]:
    with stripe_support.serve(deliver_webhooks=False) as stripe_url:
        clients = {
            "stripe": ConnectorClient(
                client_id=STRIPE_ID,
                client_secret=STRIPE_SECRET,
                base_url=stripe_url,
                signing_secret=STRIPE_SIGNING,
            ),
            "xero": ConnectorClient(
                client_id=XERO_ID,
                client_secret=XERO_SECRET,
                base_url=xero.url,
                signing_secret=XERO_KEY,
            ),
        }
        app = create_app(
            settings.model_copy(
                update={
                    "connector_clients": clients,
                    "public_base_url": BASE,
                    "embedded_worker": False,
                }
            )
        )
        async with app.router.lifespan_context(app):
            yield app, stripe_support.StripeSandbox(stripe_url)


async def test_a_stripe_payment_ends_as_a_paid_xero_invoice_and_its_refund_a_credit_note(
    both: tuple[FastAPI, stripe_support.StripeSandbox],
    xero: XeroSandbox,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, stripe = both
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as http:
        key = await tenant.key()
        sent = Sent()
        monkeypatch.setitem(app.state.services.db.session_info, "task_queue", sent)
        stripe_hub, xero_hub = StripeHub(http, key, app, sent), XeroHub(http, key, app)
        lead = (
            await stripe_hub.api(
                "POST", "/v1/leads", json={"name": "Ada Lovelace", "email": "ada@example.com"}
            )
        ).json()
        stripe_connection = await connect_stripe(stripe_hub, stripe)
        xero_connection = await connect_xero(xero_hub, xero)

        intent = stripe.pay(4900, email="ada@example.com", name="Ada Lovelace")
        [message] = stripe.outbox("payment_intent.succeeded")
        assert (await stripe_hub.deliver(message)).status_code == 202
        await stripe_hub.pull(stripe_connection["id"])
        [payment] = await stripe_hub.payments()
        assert (payment["providerId"], payment["leadId"]) == (intent["id"], lead["id"])
        assert await stripe_hub.events(payment["id"]) == ["payment.completed"]

        # The lead converts: Xero gets the lead's contact and the invoice made out to it
        # (pushed in one run, the contact first).
        converted = await stripe_hub.api(
            "PATCH", f"/v1/leads/{lead['id']}", json={"status": "converted"}
        )
        assert converted.status_code == 200, converted.text
        await xero_hub.push(xero_connection["id"], records=2)
        [contact] = xero.state()["contacts"]
        assert contact["Name"] == "Ada Lovelace"
        [invoice] = xero.state()["invoices"]
        assert (invoice["Status"], invoice["Total"], invoice["CurrencyCode"]) == (
            "PAID",
            49.0,
            "GBP",
        )

        stripe.refund(intent["id"], 1900)
        await stripe_hub.deliver(stripe.outbox("charge.refunded")[0])
        await stripe_hub.pull(stripe_connection["id"])
        await xero_hub.push(xero_connection["id"], records=1)
        state: dict[str, Any] = xero.state()
        [note] = state["creditNotes"]
        assert (note["Total"], note["Status"]) == (19.0, "PAID")
        assert len(state["invoices"]) == 1
        assert invoice["Contact"]["ContactID"] == contact["ContactID"]
