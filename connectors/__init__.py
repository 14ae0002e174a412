"""Connector plugins (pluggy): the kit for connector authors (``connectors.kit``) and one
package per connector, each with its provider sandbox (docs/architecture.md, "Connectors")."""
