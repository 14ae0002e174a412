"""The plugin manager: the connector registry, HUBWIRE_CONNECTORS, pending hooks, observers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pluggy
import pytest

from connectors.kit import ApiKeyAuth, CheckResult, ConnectionContext, Connector, Manifest
from core.plugins.hookspecs import hookimpl
from core.plugins.manager import (
    ConnectorConfigError,
    connector_catalog,
    connector_registry,
    plugin_manager,
    report_sync_result,
    reset_plugin_manager,
    selected_slugs,
)
from core.plugins.types import SyncResult
from tests.connectors.example import ExampleCrm, ExamplePlugin


class _Other(Connector):
    manifest = Manifest(slug="other_crm", title="Other CRM", auth=ApiKeyAuth())

    async def check(self, connection: ConnectionContext) -> CheckResult:
        return CheckResult(ok=True)


@pytest.fixture
def registered() -> Iterator[list[object]]:
    plugins: list[object] = []
    yield plugins
    for plugin in plugins:
        plugin_manager().unregister(plugin)


def _register(registered: list[object], plugin: object) -> None:
    plugin_manager().register(plugin)
    registered.append(plugin)


def test_the_built_in_extensions_load_and_nothing_is_pending() -> None:
    reset_plugin_manager()
    manager = plugin_manager()
    names = {name for name, _ in manager.list_name_plugin()}
    assert {"oauth", "zapier", "connectors"} <= names
    manager.check_pending()


def test_the_registry_is_keyed_by_slug(registered: list[object]) -> None:
    _register(registered, ExamplePlugin(ExampleCrm(), _Other()))
    registry = connector_registry()
    assert {"example_crm", "other_crm"} <= set(registry)
    assert list(registry) == sorted(registry)
    assert isinstance(registry["example_crm"], ExampleCrm)
    slugs = [entry["slug"] for entry in connector_catalog()]
    assert slugs == sorted(slugs)


def test_a_duplicate_slug_is_a_clear_error(registered: list[object]) -> None:
    _register(registered, ExamplePlugin(ExampleCrm()))
    _register(registered, ExamplePlugin(ExampleCrm()))
    with pytest.raises(ConnectorConfigError, match="two connectors have the slug 'example_crm'"):
        connector_registry()


def test_something_that_is_not_a_connector_is_refused(registered: list[object]) -> None:
    class Wrong:
        @hookimpl
        def hubwire_connectors(self) -> list[Any]:
            return ["hubspot"]

    _register(registered, Wrong())
    with pytest.raises(ConnectorConfigError, match="not a Connector"):
        connector_registry()


def test_hubwire_connectors_selects_by_slug(
    registered: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(registered, ExamplePlugin(ExampleCrm(), _Other()))
    monkeypatch.setenv("HUBWIRE_CONNECTORS", " other_crm ,")
    assert list(connector_registry()) == ["other_crm"]
    monkeypatch.setenv("HUBWIRE_CONNECTORS", "other_crm,nosuchcrm")
    with pytest.raises(ConnectorConfigError, match="not installed: nosuchcrm"):
        connector_registry()
    monkeypatch.setenv("HUBWIRE_CONNECTORS", "")
    assert {"example_crm", "other_crm"} <= set(connector_registry())


def test_selected_slugs() -> None:
    assert selected_slugs("") is None
    assert selected_slugs(" , ") is None
    assert selected_slugs("hubspot, slack") == {"hubspot", "slack"}


def test_a_hook_no_spec_declares_fails_at_load() -> None:
    class Typo:
        @hookimpl
        def hubwire_conectors(self) -> list[Connector]:
            return []

    manager = plugin_manager()
    manager.register(Typo(), name="typo")
    try:
        with pytest.raises(pluggy.PluginValidationError, match="hubwire_conectors"):
            manager.check_pending()
    finally:
        manager.unregister(name="typo")


def test_sync_results_reach_every_observer_even_when_one_fails(
    registered: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[SyncResult] = []

    class Broken:
        @hookimpl
        def hubwire_sync_result(self, result: SyncResult) -> None:
            raise RuntimeError("metrics backend down")

    class Recorder:
        @hookimpl
        def hubwire_sync_result(self, result: SyncResult) -> None:
            seen.append(result)

    _register(registered, Recorder())
    _register(registered, Broken())
    result = SyncResult("example_crm", "conn_1", "ws_1", "contact", "push", processed=3)
    report_sync_result(result)
    assert seen == [result]
    assert "metrics backend down" in caplog.text
