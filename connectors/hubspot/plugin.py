"""The HubSpot connector's plugin module (entry point ``hubwire.connectors: hubspot``)."""

from __future__ import annotations

from connectors.hubspot.connector import HubSpotConnector
from connectors.kit import Connector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [HubSpotConnector()]
