"""The hook specifications of the ``hubwire`` plugin project (DESIGN.md §5).

Connectors implement these with ``@hookimpl`` and register through the entry-point group
``hubwire.connectors``; other extensions of the server (the OAuth server in ``oauth/``)
register through ``hubwire.extensions``."""

from __future__ import annotations

from collections.abc import Awaitable

import pluggy
import typer
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.tokens import TokenAuthenticator
from core.database import Database
from core.events.catalog import EventType

PROJECT = "hubwire"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def hubwire_event_types() -> list[EventType]:  # type: ignore[empty-body]
    """Called once when a process builds its event catalog.

    Returns the event types this plugin emits (names like ``hubspot.contact_synced``); they
    appear in ``GET /v1/webhook-events`` and webhooks may subscribe to them."""


@hookspec
def hubwire_api_routers() -> list[APIRouter]:  # type: ignore[empty-body]
    """Called once by the app factory.

    Returns the routers this plugin serves (e.g. ``/oauth/*`` and ``/v1/oauth-apps``); they are
    included after core's routers and share its middleware, errors and OpenAPI document."""


@hookspec
def hubwire_token_authenticators(db: Database) -> list[TokenAuthenticator]:  # type: ignore[empty-body]
    """Called once per process when core builds its ``Authenticator``.

    Returns authenticators for bearer tokens that are not API keys (OAuth access tokens, user
    tokens). Core tries API keys (``hw_…``) itself, then each authenticator in turn; an
    authenticator returns None for tokens it does not issue."""


@hookspec
def hubwire_cli(app: typer.Typer) -> None:
    """Called once when the ``hubwire`` command line is built.

    Adds this plugin's sub-commands to ``app`` (e.g. ``hubwire users create``)."""


@hookspec
def hubwire_demo_setup(  # type: ignore[empty-body]
    session: AsyncSession, workspace_id: str
) -> Awaitable[list[str]]:
    """Called by ``hubwire serve --demo`` inside the transaction that prepares the demo
    workspace ``workspace_id``.

    Returns an awaitable of the lines to print (e.g. a demo owner's login)."""
