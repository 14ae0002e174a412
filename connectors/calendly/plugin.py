"""The Calendly connector's plugin module (entry point ``hubwire.connectors: calendly``)."""

from __future__ import annotations

from connectors.calendly.connector import CalendlyConnector
from connectors.kit import Connector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [CalendlyConnector()]
