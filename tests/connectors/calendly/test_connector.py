"""The connector kit's contract, and the connector's own calls, against the sandbox."""

from __future__ import annotations

import json
import time

import pytest

from connectors.calendly.connector import CalendlyConnector
from connectors.calendly.signature import sign
from connectors.kit import (
    AuthFailed,
    ConnectionContext,
    ProviderRateLimited,
    WebhookEndpoint,
)
from connectors.kit.testing import ConnectorContract
from tests.connectors.calendly.conftest import STATIC_TOKEN, CalendlySandbox, serve

KEY = "a-signing-key"


def _context(url: str, token: str = STATIC_TOKEN, **settings: object) -> ConnectionContext:
    return ConnectionContext("conn_test", "ws_test", {"access_token": token}, url, settings)


class TestCalendly(ConnectorContract):
    connector = CalendlyConnector()
    bad_credentials = {"access_token": "revoked"}

    @pytest.fixture
    def connection(self, calendly: CalendlySandbox) -> ConnectionContext:
        return _context(calendly.url)

    def signed_webhook(self) -> tuple[dict[str, str], bytes, str]:
        body = json.dumps(
            {
                "event": "invitee.created",
                "created_by": "https://api.calendly.com/users/U1",
                "payload": {"uri": "https://api.calendly.com/scheduled_events/E1/invitees/I1"},
            }
        ).encode()
        return {"Calendly-Webhook-Signature": sign(body, KEY, int(time.time()))}, body, KEY


def test_a_signature_outside_three_minutes_is_refused() -> None:
    connector = CalendlyConnector()
    body = b'{"event":"invitee.created"}'
    for offset in (-181, 181):
        header = sign(body, KEY, int(time.time()) + offset)
        assert not connector.verify_webhook({"calendly-webhook-signature": header}, body, KEY)
    fresh = sign(body, KEY, int(time.time()) - 170)
    assert connector.verify_webhook({"calendly-webhook-signature": fresh}, body, KEY)
    for broken in ("", "v1=abc", "t=abc,v1=abc", f"t={int(time.time())}"):
        assert not connector.verify_webhook({"calendly-webhook-signature": broken}, body, KEY)


async def test_pull_pages_bookings_and_a_later_pull_reads_only_changes(
    calendly: CalendlySandbox,
) -> None:
    connector = CalendlyConnector()
    for day in range(1, 4):
        calendly.book(f"p{day}@example.com", f"2030-03-0{day}T10:00:00Z", name=f"P {day}")
    page = await connector.pull(_context(calendly.url), "invitee", None)
    assert not page.has_more
    emails = [r.fields["invitee"]["email"] for r in page.records]
    assert emails == ["p1@example.com", "p2@example.com", "p3@example.com"]
    first = page.records[0]
    assert first.external_id and "/invitees/" in first.external_id
    assert first.fields["status"] == "scheduled"
    assert first.fields["starts_at"] == "2030-03-01T10:00:00Z"
    assert first.fields["join_url"].startswith("https://meet.google.com/")

    again = await connector.pull(_context(calendly.url), "invitee", page.next_cursor)
    assert again.records == ()
    calendly.cancel(first.external_id, "Sick")
    changed = await connector.pull(_context(calendly.url), "invitee", page.next_cursor)
    assert [r.fields["status"] for r in changed.records] == ["canceled"]
    assert changed.records[0].fields["cancel_reason"] == "Sick"


async def test_refused_and_rate_limited_calls_become_the_kits_errors() -> None:
    connector = CalendlyConnector()
    with serve(rate_limit=2) as url:
        assert not (await connector.check(_context(url, "nope"))).ok
        with pytest.raises(AuthFailed):
            await connector.pull(_context(url, "nope"), "invitee", None)
        with pytest.raises(ProviderRateLimited) as limited:
            for _ in range(3):
                await connector.check(_context(url))
        assert limited.value.retry_after is not None and limited.value.retry_after > 0


@pytest.mark.parametrize(("role", "scope"), [("owner", "organization"), ("user", "user")])
async def test_on_connect_subscribes_by_role_and_on_disconnect_unsubscribes(
    role: str, scope: str
) -> None:
    connector = CalendlyConnector()
    target = WebhookEndpoint("https://hubwire.example/v1/connectors/calendly/webhooks", KEY)
    with serve(role=role) as url:
        sandbox = CalendlySandbox(url)
        kept = await connector.on_connect(_context(url), target)
        assert kept["webhookScope"] == scope
        assert sandbox.stats()["subscriptions"] == 1
        # Connecting again (a reconnect) keeps the one subscription Calendly allows per URL.
        assert await connector.on_connect(_context(url), target) == kept
        assert sandbox.stats()["subscriptions"] == 1
        await connector.on_disconnect(_context(url, **kept))
        assert sandbox.stats()["subscriptions"] == 0
        await connector.on_disconnect(_context(url, **kept))  # already gone: fine
