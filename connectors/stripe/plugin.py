"""The Stripe connector's plugin module (entry point ``hubwire.connectors: stripe``)."""

from __future__ import annotations

from connectors.kit import Connector
from connectors.stripe.connector import StripeConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [StripeConnector()]
