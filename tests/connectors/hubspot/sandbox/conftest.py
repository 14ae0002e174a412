"""Serves a HubSpot sandbox over real HTTP, mounted under ``/sandbox/hubspot`` as ``make run``
will mount it, and builds real ``hubspot-api-client`` clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from hubspot import HubSpot

from connectors.hubspot.sandbox import Sandbox, SandboxConfig, create_sandbox
from tests.support.live_server import serve_asgi

PREFIX = "/sandbox/hubspot"
TOKEN = "pat-sandbox-test"


@dataclass
class Running:
    base: str  # the sandbox's base URL, prefix included
    sandbox: Sandbox

    def client(self, token: str = TOKEN) -> HubSpot:
        return HubSpot(access_token=token, host=self.base)


@contextmanager
def running_sandbox(config: SandboxConfig) -> Iterator[Running]:
    sandbox_app = create_sandbox(config)
    host = FastAPI()
    host.mount(PREFIX, sandbox_app)
    with serve_asgi(host) as url:
        yield Running(url + PREFIX, sandbox_app.state.sandbox)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Running]]:
    stack: list[Any] = []

    def make(**overrides: Any) -> Running:
        # Searches see writes at once here; a test of the index's lag sets it.
        overrides = {"search_index_lag": 0, **overrides}
        config = SandboxConfig(static_tokens={TOKEN: "sandbox-client-id"}, **overrides)
        ctx = running_sandbox(config)
        stack.append(ctx)
        return ctx.__enter__()

    yield make
    for ctx in reversed(stack):
        ctx.__exit__(None, None, None)


@pytest.fixture
def hs(make_sandbox: Callable[..., Running]) -> Running:
    return make_sandbox()
