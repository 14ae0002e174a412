"""The Xero connector's plugin module (entry point ``hubwire.connectors: xero``)."""

from __future__ import annotations

from connectors.kit import Connector
from connectors.xero.connector import XeroConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [XeroConnector()]
