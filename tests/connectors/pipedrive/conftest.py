"""A Pipedrive sandbox on loopback (real HTTP), driven like a salesperson in Pipedrive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.kit import ConnectionContext
from connectors.pipedrive.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    create_sandbox,
)
from core.settings import ConnectorClient, Settings
from tests.support.connector_hub import api_client, hubwire_app
from tests.support.live_server import serve_asgi

STATIC_TOKEN = "pipedrive-static-token"


class PipedriveSandbox:
    """A running sandbox: its URL and its admin surface."""

    def __init__(self, url: str, app: Any) -> None:
        self.url = url
        self.app = app

    @property
    def store(self) -> Any:
        return self.app.state.sandbox.store

    def create_person(self, **body: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/_sandbox/persons", json=body, timeout=30)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    def update_person(self, person_id: int | str, **body: Any) -> dict[str, Any]:
        response = httpx.patch(f"{self.url}/_sandbox/persons/{person_id}", json=body, timeout=30)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    def delete_person(self, person_id: int | str) -> None:
        response = httpx.delete(f"{self.url}/_sandbox/persons/{person_id}", timeout=30)
        assert response.status_code == 200, response.text

    def revoke(self) -> None:
        """The company's admin uninstalls the app: every grant is revoked."""
        httpx.post(f"{self.url}/_sandbox/revoke", timeout=30).raise_for_status()

    def outbox(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = httpx.get(f"{self.url}/_sandbox/outbox").json()["data"]
        return rows

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())


def serve(**overrides: Any) -> Any:
    config = SandboxConfig(static_tokens={STATIC_TOKEN: DEFAULT_CLIENT_ID}, **overrides)
    app = create_sandbox(config)
    return app, serve_asgi(app)


def running(**overrides: Any) -> Iterator[PipedriveSandbox]:
    """A sandbox served while the generator runs (a fixture's body)."""
    app, server = serve(**overrides)
    with server as url:
        yield PipedriveSandbox(url, app)


@pytest.fixture
def pipedrive() -> Iterator[PipedriveSandbox]:
    # Its webhooks are kept in the outbox, not sent: the tests deliver them (or not).
    yield from running(deliver_webhooks=False)


def context(url: str, token: str = STATIC_TOKEN, **settings: Any) -> ConnectionContext:
    return ConnectionContext("conn_test", "ws_test", {"access_token": token}, url, settings)


@pytest.fixture
async def pipedrive_app(settings: Settings, pipedrive: PipedriveSandbox) -> AsyncIterator[FastAPI]:
    """Hubwire with its Pipedrive app pointed at the sandbox; no worker of its own."""
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, base_url=pipedrive.url
    )
    async with hubwire_app(settings, "pipedrive", client) as app:
        yield app


@pytest.fixture
async def hubwire(pipedrive_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(pipedrive_app) as client:
        yield client
