"""A Stripe sandbox on loopback (real HTTP) and a Hubwire whose Stripe Connect platform is
the sandbox's, with the platform's Connect webhook endpoint pointing at Hubwire."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.stripe.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_SECRET,
    SandboxConfig,
    create_sandbox,
)
from core.app import create_app
from core.settings import ConnectorClient, Settings
from tests.support.live_server import serve_asgi

BASE = "http://hubwire.test"
WEBHOOKS = "/v1/connectors/stripe/webhooks"
STATIC_TOKEN = "sk_test_connected_account_read_only"


class StripeSandbox:
    """A running sandbox: its URL and its admin surface (acting as customers)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _post(self, path: str, **body: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=30)
        assert response.status_code < 300, response.text
        return dict(response.json())

    def pay(self, amount: int, currency: str = "gbp", **details: Any) -> dict[str, Any]:
        return self._post("/_sandbox/payments", amount=amount, currency=currency, **details)

    def refund(self, intent_id: str, amount: int | None = None, **flags: Any) -> dict[str, Any]:
        return self._post(f"/_sandbox/payment_intents/{intent_id}/refund", amount=amount, **flags)

    def resend(self, event_id: str) -> dict[str, Any]:
        return self._post(f"/_sandbox/events/{event_id}/resend")

    def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = httpx.get(f"{self.url}/_sandbox/outbox").json()["data"]
        return [r for r in rows if event_type is None or r["type"] == event_type]

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())


def serve(**overrides: Any) -> Any:
    config = SandboxConfig(static_tokens=(STATIC_TOKEN,), endpoints=(BASE + WEBHOOKS,), **overrides)
    return serve_asgi(create_sandbox(config))


@pytest.fixture
def stripe_sandbox() -> Iterator[StripeSandbox]:
    # Its webhooks are kept in the outbox, not sent: the tests deliver them (or not).
    with serve(deliver_webhooks=False) as url:
        yield StripeSandbox(url)


@pytest.fixture
async def stripe_app(settings: Settings, stripe_sandbox: StripeSandbox) -> AsyncIterator[FastAPI]:
    """Hubwire with its Stripe Connect platform (the sandbox's); no worker of its own: the
    tests run the pulls a webhook wakes."""
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        base_url=stripe_sandbox.url,
        signing_secret=DEFAULT_SIGNING_SECRET,
    )
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"stripe": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def hubwire(stripe_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=stripe_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as client:
        yield client


@pytest.fixture(name="stripe")
def stripe_fixture(stripe_sandbox: StripeSandbox) -> StripeSandbox:
    """The sandbox, under the name the tests read best."""
    return stripe_sandbox
