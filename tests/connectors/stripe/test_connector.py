"""The connector kit's contract, the `stripe` library against the sandbox (Stripe's
errors, list objects, limits), and the signature check at its edges."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import stripe as stripe_lib

from connectors.kit import ConnectionContext
from connectors.kit.testing import ConnectorContract
from connectors.stripe.connector import StripeConnector
from connectors.stripe.sandbox import DEFAULT_CLIENT_SECRET, DEFAULT_SIGNING_SECRET
from connectors.stripe.sandbox.store import sign
from tests.connectors.stripe.conftest import STATIC_TOKEN, StripeSandbox, serve


def _context(url: str, token: str = STATIC_TOKEN) -> ConnectionContext:
    return ConnectionContext("conn_test", "ws_test", {"access_token": token}, url)


def _client(url: str, key: str = STATIC_TOKEN) -> stripe_lib.StripeClient:
    return stripe_lib.StripeClient(
        key, base_addresses={"api": url}, http_client=stripe_lib.HTTPXClient()
    )


class TestStripe(ConnectorContract):
    connector = StripeConnector()
    bad_credentials = {"access_token": "sk_test_revoked"}

    @pytest.fixture
    def connection(self, stripe: StripeSandbox) -> ConnectionContext:
        stripe.pay(1000, email="ada@example.com")
        return _context(stripe.url)

    def signed_webhook(self) -> tuple[dict[str, str], bytes, str]:
        body = json.dumps(
            {
                "id": "evt_1",
                "object": "event",
                "account": "acct_1",
                "type": "payment_intent.succeeded",
                "data": {"object": {"id": "pi_1", "object": "payment_intent", "created": 1}},
            }
        )
        header = sign(body, DEFAULT_SIGNING_SECRET, int(time.time()))
        return {"Stripe-Signature": header}, body.encode(), DEFAULT_SIGNING_SECRET


def test_signatures_outside_300_seconds_or_malformed_are_refused() -> None:
    connector = StripeConnector()
    body = '{"type":"payment_intent.succeeded"}'
    now = int(time.time())
    for offset in (-301, -3600):
        header = sign(body, DEFAULT_SIGNING_SECRET, now + offset)
        assert not connector.verify_webhook(
            {"stripe-signature": header}, body.encode(), DEFAULT_SIGNING_SECRET
        )
    fresh = sign(body, DEFAULT_SIGNING_SECRET, now - 290)
    assert connector.verify_webhook(
        {"Stripe-Signature": fresh}, body.encode(), DEFAULT_SIGNING_SECRET
    )
    for broken in ("", "v1=abc", f"t={now}", f"t={now},v0=abc", "garbage"):
        assert not connector.verify_webhook(
            {"stripe-signature": broken}, body.encode(), DEFAULT_SIGNING_SECRET
        )


async def test_lists_page_with_has_more_and_starting_after(stripe: StripeSandbox) -> None:
    made = [stripe.pay(100 + n, silent=True)["id"] for n in range(5)]
    client = _client(stripe.url)
    first = await client.v1.payment_intents.list_async({"limit": 2})
    assert first.object == "list" and first.has_more is True
    assert [i.id for i in first.data] == made[::-1][:2]  # newest first
    seen = [i.id async for i in first.auto_paging_iter()]
    assert seen == made[::-1]
    newer = await client.v1.payment_intents.list_async({"ending_before": made[1], "limit": 2})
    assert [i.id for i in newer.data] == [made[3], made[2]]
    assert newer.has_more is True


async def test_errors_are_stripes(stripe: StripeSandbox) -> None:
    client = _client(stripe.url)
    with pytest.raises(stripe_lib.InvalidRequestError) as missing:
        await client.v1.payment_intents.retrieve_async("pi_nope")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "intent"
    with pytest.raises(stripe_lib.InvalidRequestError) as limit:
        await client.v1.payment_intents.list_async({"limit": 101})
    assert limit.value.param == "limit"
    with pytest.raises(stripe_lib.AuthenticationError):
        await _client(stripe.url, "sk_test_wrong").v1.accounts.retrieve_current_async()
    # A read_only Connect token cannot write.
    with pytest.raises(stripe_lib.PermissionError):
        await client.v1.webhook_endpoints.create_async(
            {"url": "https://example.com/h", "enabled_events": ["charge.refunded"]}
        )
    async with httpx.AsyncClient() as http:
        unknown = await http.get(
            f"{stripe.url}/v1/nothing_here", headers={"Authorization": f"Bearer {STATIC_TOKEN}"}
        )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["type"] == "invalid_request_error"
    assert "Unrecognized request URL" in unknown.json()["error"]["message"]


async def test_the_platform_key_registers_connect_endpoints_and_sees_no_secret_in_lists(
    stripe: StripeSandbox,
) -> None:
    platform = _client(stripe.url, DEFAULT_CLIENT_SECRET)
    created = await platform.v1.webhook_endpoints.create_async(
        {"url": "https://example.com/hook", "enabled_events": ["*"], "connect": True}
    )
    assert created.secret and created.secret.startswith("whsec_")
    listed = await platform.v1.webhook_endpoints.list_async()
    assert any(e.id == created.id for e in listed.data)
    assert all("secret" not in e for e in listed.data)


def test_the_test_mode_rate_limit_answers_429_with_stripes_body() -> None:
    with serve(rate_limit=3, rate_window=60.0) as url:
        headers = {"Authorization": f"Bearer {STATIC_TOKEN}"}
        answers = [httpx.get(f"{url}/v1/account", headers=headers) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    error: dict[str, Any] = answers[-1].json()["error"]
    assert error["code"] == "rate_limit"
    assert "Retry-After" not in answers[-1].headers


async def test_pull_backfills_then_reads_only_new_events(stripe: StripeSandbox) -> None:
    connector = StripeConnector()
    connection = _context(stripe.url)
    old = stripe.pay(700, email="old@example.com")
    page = await connector.pull(connection, "payment_intent", None)
    assert [r.external_id for r in page.records] == [old["id"]]
    assert page.has_more is False and page.next_cursor
    nothing = await connector.pull(connection, "payment_intent", page.next_cursor)
    assert nothing.records == ()
    new = stripe.pay(900, email="new@example.com", name="New")
    stripe.refund(new["id"], 100)
    later = await connector.pull(connection, "payment_intent", nothing.next_cursor)
    assert [r.external_id for r in later.records] == [new["id"], new["id"]]
    last = later.records[-1].fields
    assert (last["refunded_amount"], last["customer_name"]) == (100, "New")
