"""The plugin manager: built-in and third-party connectors load the same way.

Plugins come from two entry-point groups: ``hubwire.connectors`` (connectors, built-in or
installed from another package) and ``hubwire.extensions`` (server extensions that are not
connectors: the OAuth server, Zapier, the connectors CLI). ``HUBWIRE_CONNECTORS`` (comma-
separated slugs; unset or empty: all) selects which connectors load; extensions always load.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any, cast

import pluggy
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.plugins import hookspecs
from core.plugins.connector import Connector
from core.plugins.types import SyncResult
from core.settings import load

ENTRY_POINT_GROUP = "hubwire.connectors"
# Server extensions that are not connectors (the OAuth server): same hooks, own group.
EXTENSION_ENTRY_POINT_GROUP = "hubwire.extensions"
SELECTION_ENV = "HUBWIRE_CONNECTORS"

log = logging.getLogger(__name__)


class ConnectorConfigError(RuntimeError):
    """The installed connectors do not add up: a duplicate slug, or an unknown slug named in
    ``HUBWIRE_CONNECTORS``."""


class PluginSettings(BaseSettings):
    """``HUBWIRE_CONNECTORS``, read like every setting (the environment, then ``.env``)."""

    model_config = SettingsConfigDict(env_prefix="HUBWIRE_", env_file=".env", extra="ignore")

    connectors: str = ""


def selected_slugs(value: str | None = None) -> frozenset[str] | None:
    """The slugs ``HUBWIRE_CONNECTORS`` names, or None for all connectors."""
    raw = load(PluginSettings).connectors if value is None else value
    slugs = frozenset(s.strip() for s in raw.split(",") if s.strip())
    return slugs or None


class HubwirePluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering every installed connector's slug (selected or not), so
    that a selection naming an uninstalled one can say what is installed."""

    installed_connectors: frozenset[str] = frozenset()


class _Built:
    """The process's one plugin manager. Built and forgotten under one (re-entrant) lock: a
    worker thread building it while ``reset_plugin_manager`` runs must not store a manager
    read from the entry points of before the reset."""

    lock = threading.RLock()
    manager: HubwirePluginManager | None = None


def plugin_manager() -> HubwirePluginManager:
    """The process's plugin manager, built once (``reset_plugin_manager`` rebuilds it)."""
    with _Built.lock:
        if _Built.manager is None:
            _Built.manager = _build()
        return _Built.manager


def _build() -> HubwirePluginManager:
    manager = HubwirePluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    before = set(manager.get_plugins())
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    manager.installed_connectors = _drop_unselected(
        manager, set(manager.get_plugins()) - before, selected_slugs()
    )
    manager.load_setuptools_entrypoints(EXTENSION_ENTRY_POINT_GROUP)
    # A plugin implementing a hook that no spec declares (a typo, a newer Hubwire's hook)
    # fails here, at start-up, instead of being silently ignored.
    manager.check_pending()
    return manager


def reset_plugin_manager() -> None:
    """Forgets the loaded plugins; the next ``plugin_manager()`` re-reads the entry points
    (after a package was installed or ``HUBWIRE_CONNECTORS`` changed; tests use it)."""
    with _Built.lock:
        _Built.manager = None


def _drop_unselected(
    manager: pluggy.PluginManager, loaded: Iterable[object], selected: frozenset[str] | None
) -> frozenset[str]:
    """Unregisters connector plugins none of whose connectors are selected, so their other
    hooks (event types, routers) go too. A plugin with some selected connectors stays;
    ``connector_registry`` leaves out the rest. Returns every installed connector's slug."""
    installed: set[str] = set()
    for plugin in list(loaded):
        provide = getattr(plugin, "hubwire_connectors", None)
        slugs = {c.manifest.slug for c in provide()} if callable(provide) else set()
        installed |= slugs
        if selected is not None and not slugs & selected:
            manager.unregister(plugin)
    return frozenset(installed)


def connector_registry() -> dict[str, Connector]:
    """The loaded connectors by slug, in slug order, filtered by ``HUBWIRE_CONNECTORS``."""
    manager = plugin_manager()
    found: dict[str, Connector] = {}
    owners: dict[str, str] = {}
    for impl in manager.hook.hubwire_connectors.get_hookimpls():
        provided = cast(Iterable[object], impl.function() or ())
        for connector in provided:
            if not isinstance(connector, Connector):
                raise ConnectorConfigError(
                    f"plugin {impl.plugin_name!r} returned {connector!r}, not a Connector"
                )
            slug = connector.manifest.slug
            if slug in found:
                raise ConnectorConfigError(
                    f"two connectors have the slug {slug!r}: from plugin {owners[slug]!r} "
                    f"and from plugin {impl.plugin_name!r}; uninstall one of them"
                )
            found[slug] = connector
            owners[slug] = impl.plugin_name
    selected = selected_slugs()
    if selected is not None:
        unknown = selected - set(found)
        if unknown:
            installed = manager.installed_connectors | set(found)
            raise ConnectorConfigError(
                f"{SELECTION_ENV} names connectors that are not installed: "
                f"{', '.join(sorted(unknown))} "
                f"(installed: {', '.join(sorted(installed)) or 'none'})"
            )
        found = {slug: c for slug, c in found.items() if slug in selected}
    return dict(sorted(found.items()))


def connector_catalog() -> list[dict[str, Any]]:
    """Every loaded connector's manifest as plain data (snake_case keys); what core's
    ``GET /v1/connectors`` and ``hubwire connectors list`` show."""
    return [c.manifest.catalog_entry() for c in connector_registry().values()]


def report_sync_result(result: SyncResult) -> None:
    """Tells every ``hubwire_sync_result`` observer; one failing observer is logged and
    does not stop the others (or the sync)."""
    for impl in plugin_manager().hook.hubwire_sync_result.get_hookimpls():
        try:
            impl.function(result)
        except Exception:
            log.exception("sync-result observer %s failed", impl.plugin_name)
