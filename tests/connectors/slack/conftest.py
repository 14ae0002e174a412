"""A Slack sandbox served over real HTTP under ``/sandbox/slack`` (as ``make run`` mounts
it), the real ``slack-sdk`` pointed at it, and a connection context for the connector."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from slack_sdk import WebClient

from connectors.kit import ConnectionContext
from connectors.slack.sandbox import SandboxConfig, SlackSandbox, create_sandbox
from tests.support.live_server import serve_asgi

PREFIX = "/sandbox/slack"
TOKEN = "xoxb-sandbox-test"


@dataclass
class Running:
    base: str  # the sandbox root, prefix included
    sandbox: SlackSandbox

    def client(self, token: str = TOKEN) -> WebClient:
        return WebClient(token=token, base_url=f"{self.base}/api/")

    def connection(self, **settings: Any) -> ConnectionContext:
        return ConnectionContext(
            "conn_slack",
            "ws_test",
            {"access_token": TOKEN},
            base_url=self.base,
            settings=settings,
        )

    def messages(self, channel: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = httpx.get(
            f"{self.base}/_sandbox/channels/{channel}/messages"
        ).json()["messages"]
        return found

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.base}/_sandbox/stats").json())


@contextmanager
def running_sandbox(config: SandboxConfig) -> Iterator[Running]:
    sandbox_app = create_sandbox(config)
    host = FastAPI()
    host.mount(PREFIX, sandbox_app)
    with serve_asgi(host) as url:
        yield Running(url + PREFIX, sandbox_app.state.sandbox)


@pytest.fixture
def make_slack() -> Iterator[Callable[..., Running]]:
    with ExitStack() as stack:

        def make(**overrides: Any) -> Running:
            config = SandboxConfig(static_tokens=(TOKEN,), **overrides)
            return stack.enter_context(running_sandbox(config))

        yield make


@pytest.fixture
def slack(make_slack: Callable[..., Running]) -> Running:
    return make_slack()
