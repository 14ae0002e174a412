"""The Pipedrive connector's plugin module (entry point ``hubwire.connectors: pipedrive``)."""

from __future__ import annotations

from connectors.kit import Connector
from connectors.pipedrive.connector import PipedriveConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [PipedriveConnector()]
