"""Fixtures shared by the Python and TypeScript SDK tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.manager import plugin_manager
from core.container import Services
from core.settings import ConnectorClient
from tests.connectors.example import ExamplePlugin, sandbox_app
from tests.support.live_server import serve_asgi


@pytest.fixture
def example_crm(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The example API-key connector (``example_crm``) installed and its sandbox served over
    loopback as the connector's API root; yields the sandbox URL.

    The live servers the SDKs talk to share the session's settings (a shallow copy), so they
    see the connector and its sandbox too."""
    plugin = ExamplePlugin()
    plugin_manager().register(plugin)
    try:
        with serve_asgi(sandbox_app()) as url:
            monkeypatch.setitem(
                services.settings.connector_clients, "example_crm", ConnectorClient(base_url=url)
            )
            yield url
    finally:
        plugin_manager().unregister(plugin)
