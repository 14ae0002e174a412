"""The Slack connector's plugin module (entry point ``hubwire.connectors: slack``)."""

from __future__ import annotations

from fastapi import APIRouter

from connectors.kit import Connector
from connectors.slack.connector import SlackConnector
from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_connectors() -> list[Connector]:
    return [SlackConnector()]


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    # Imported when the app is built: the endpoints need core's request plumbing.
    from connectors.slack.inbound import channels_router, router

    return [router, channels_router]
