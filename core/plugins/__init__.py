"""The plugin contract: the hook specifications, the plugin manager, and the types core
and its plugins exchange (connectors, their manifests, contexts, errors and results; token
authenticators; the OAuth client). See docs/architecture.md, "The plugin contract".

Everything a plugin implements is declared here, and nothing here imports a domain of core
(leads, webhooks, connections…): core reaches its plugins only through the manager, and
plugins reach core through its public interfaces. Connector authors import these names from
``connectors.kit``, which re-exports them beside the test kit."""

from core.plugins.hookspecs import PROJECT, hookimpl, hookspec

__all__ = ["PROJECT", "hookimpl", "hookspec"]
