"""Serves the Salesforce sandbox over real HTTP under ``/sandbox/salesforce`` (as ``make run``
mounts it: plain HTTP under a path, which the connector reaches through simple-salesforce's
``session`` option) and points connections at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from connectors.kit import ConnectionContext
from connectors.salesforce.sandbox import Sandbox, SandboxConfig, create_sandbox
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
