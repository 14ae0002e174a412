"""The Salesforce connector's plugin module (entry point ``hubwire.connectors: salesforce``)."""

from __future__ import annotations

from connectors.kit import Connector
from connectors.salesforce.connector import SalesforceConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [SalesforceConnector()]
