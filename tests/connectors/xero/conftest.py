"""A Xero sandbox on loopback (real HTTP) and a Hubwire whose Xero app is the sandbox's."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.xero.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_WEBHOOK_KEY,
    SandboxConfig,
    create_sandbox,
)
from core.app import create_app
from core.settings import ConnectorClient, Settings
from tests.support.live_server import serve_asgi

BASE = "http://hubwire.test"


class XeroSandbox:
    def __init__(self, url: str) -> None:
        self.url = url

    def state(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_sandbox/state", timeout=30).json())

    def expire_tokens(self) -> None:
        assert httpx.post(f"{self.url}/_sandbox/expire").status_code == 204

    def webhook(self, events: list[dict[str, Any]], *, bad_key: bool = False) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/_sandbox/webhooks", json={"events": events, "badKey": bad_key}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def xero() -> Iterator[XeroSandbox]:
    with serve_asgi(create_sandbox(SandboxConfig())) as url:
        yield XeroSandbox(url)


@pytest.fixture
async def xero_app(settings: Settings, xero: XeroSandbox) -> AsyncIterator[FastAPI]:
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        base_url=xero.url,
        signing_secret=DEFAULT_WEBHOOK_KEY,
    )
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"xero": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def hubwire(xero_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=xero_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=30) as client:
        yield client
