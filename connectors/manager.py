"""The plugin manager: built-in and third-party connectors load the same way."""

from __future__ import annotations

from functools import lru_cache

import pluggy

from connectors import hookspecs

ENTRY_POINT_GROUP = "hubwire.connectors"
# Server extensions that are not connectors (the OAuth server): same hooks, own group.
EXTENSION_ENTRY_POINT_GROUP = "hubwire.extensions"


@lru_cache
def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    manager.load_setuptools_entrypoints(EXTENSION_ENTRY_POINT_GROUP)
    return manager
