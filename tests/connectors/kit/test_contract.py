"""The test kit run against the example connector: what a connector author writes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

import pytest

from connectors.kit import ConnectionContext, Record
from connectors.kit.testing import ConnectorContract
from core.plugins.manager import plugin_manager
from tests.connectors.example import API_KEY, ExampleCrm, ExamplePlugin, sandbox_app, sign
from tests.support.live_server import serve_asgi


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with serve_asgi(sandbox_app()) as base_url:
        yield base_url


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    """Stands in for the entry point a real connector package declares."""
    plugin = ExamplePlugin()
    plugin_manager().register(plugin)
    yield
    plugin_manager().unregister(plugin)


class TestExampleCrm(ConnectorContract):
    connector = ExampleCrm()
    samples = {
        "contact": [
            Record("contact", {"email": "ada@example.com", "name": "Ada"}, hubwire_id="lead_1"),
            Record("contact", {"email": "alan@example.com", "name": "Alan"}, hubwire_id="lead_2"),
            Record("contact", {"email": "grace@example.com", "name": "Grace"}, hubwire_id="lead_3"),
        ]
    }
    bad_credentials = {"api_key": "wrong"}

    @pytest.fixture
    def connection(self, sandbox: str) -> ConnectionContext:
        return ConnectionContext("conn_test", "ws_test", {"api_key": API_KEY}, base_url=sandbox)

    def signed_webhook(self) -> tuple[Mapping[str, str], bytes, str]:
        body = json.dumps({"events": [{"id": "c1", "fields": {"name": "Ada"}}]}).encode()
        return {"x-signature": sign(body, "whsec")}, body, "whsec"
