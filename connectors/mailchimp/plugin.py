"""The Mailchimp connector's plugin module (entry point ``hubwire.connectors: mailchimp``)."""

from __future__ import annotations

from connectors.kit import Connector
from connectors.mailchimp.connector import MailchimpConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [MailchimpConnector()]
