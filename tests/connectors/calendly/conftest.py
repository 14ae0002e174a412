"""A Calendly sandbox on loopback (real HTTP) and an app that knows Hubwire's Calendly app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.calendly.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_KEY,
    SandboxConfig,
    create_sandbox,
)
from core.app import create_app
from core.settings import ConnectorClient, Settings
from tests.support.live_server import serve_asgi

BASE = "http://hubwire.test"
STATIC_TOKEN = "calendly-personal-access-token"


class CalendlySandbox:
    """A running sandbox: its URL and its admin surface (acting as invitees)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _post(self, path: str, **body: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=30)
        assert response.status_code < 300, response.text
        resource: dict[str, Any] = response.json()["resource"]
        return resource

    def book(self, email: str, start: str, **person: Any) -> dict[str, Any]:
        return self._post("/_sandbox/bookings", email=email, start_time=start, **person)

    def reschedule(self, invitee_uri: str, start: str) -> dict[str, Any]:
        uuid = invitee_uri.rsplit("/", 1)[-1]
        return self._post(f"/_sandbox/invitees/{uuid}/reschedule", start_time=start)

    def cancel(self, invitee_uri: str, reason: str) -> dict[str, Any]:
        uuid = invitee_uri.rsplit("/", 1)[-1]
        return self._post(f"/_sandbox/invitees/{uuid}/cancel", reason=reason)

    def outbox(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = httpx.get(f"{self.url}/_sandbox/outbox").json()["collection"]
        return rows

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())


def serve(**overrides: Any) -> Any:
    config = SandboxConfig(static_tokens={STATIC_TOKEN: DEFAULT_CLIENT_ID}, **overrides)
    return serve_asgi(create_sandbox(config))


@pytest.fixture
def calendly() -> Iterator[CalendlySandbox]:
    # Its webhooks are kept in the outbox, not sent: the tests deliver them (or not).
    with serve(deliver_webhooks=False) as url:
        yield CalendlySandbox(url)


@pytest.fixture
async def calendly_app(settings: Settings, calendly: CalendlySandbox) -> AsyncIterator[FastAPI]:
    """Hubwire with its Calendly app (pointed at the sandbox); no worker of its own: the
    tests run the pulls a webhook wakes."""
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        base_url=calendly.url,
        signing_secret=DEFAULT_SIGNING_KEY,
    )
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"calendly": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def hubwire(calendly_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=calendly_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as client:
        yield client
