"""Serves the Salesforce sandbox over real HTTP under ``/sandbox/salesforce`` (as ``make run``
mounts it: plain HTTP under a path, which the connector reaches through simple-salesforce's
``session`` option) and points connections at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.kit import ConnectionContext
from connectors.salesforce.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    Sandbox,
    SandboxConfig,
    create_sandbox,
)
from core.settings import ConnectorClient, Settings
from tests.conftest import Tenant
from tests.support.connector_hub import Hubwire, api_client, hubwire_app
from tests.support.live_server import serve_asgi

PREFIX = "/sandbox/salesforce"
TOKEN = "00D5g00000SANDBOX!static-test-token"


@dataclass
class Org:
    base: str
    sandbox: Sandbox

    def connection(self, token: str = TOKEN, **settings: Any) -> ConnectionContext:
        return ConnectionContext(
            "conn_sf", "ws_sf", {"access_token": token}, base_url=self.base, settings=settings
        )

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.base + "/_sandbox", timeout=10)

    def rows(self, obj: str = "Lead") -> list[dict[str, Any]]:
        return [r for r in self.sandbox.store.records[obj].values() if not r["IsDeleted"]]


@contextmanager
def running_org(**overrides: Any) -> Iterator[Org]:
    config = SandboxConfig(static_tokens={TOKEN: "test"}, **overrides)
    app = create_sandbox(config)
    host = FastAPI()
    host.mount(PREFIX, app)
    with serve_asgi(host) as url:
        yield Org(url + PREFIX, app.state.sandbox)


@pytest.fixture
def make_org() -> Iterator[Callable[..., Org]]:
    with ExitStack() as stack:
        yield lambda **overrides: stack.enter_context(running_org(**overrides))


@pytest.fixture
def org(make_org: Callable[..., Org]) -> Org:
    return make_org()


@pytest.fixture
async def hub(
    settings: Settings, org: Org, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Hubwire]:
    """Hubwire in this process with its Salesforce app pointed at the sandbox, driven as a
    worker would drive it (tests/support/connector_hub.py)."""
    client = ConnectorClient(
        client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, base_url=org.base
    )
    async with hubwire_app(settings, "salesforce", client) as app, api_client(app) as http:
        yield Hubwire(http, await tenant.key(), app, monkeypatch)
