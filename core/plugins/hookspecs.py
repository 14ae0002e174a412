"""The hook specifications of the ``hubwire`` plugin project (docs/architecture.md, "The
plugin contract").

Connectors implement these with ``@hookimpl`` and register through the entry-point group
``hubwire.connectors``; other extensions of the server (the OAuth server in ``oauth/``)
register through ``hubwire.extensions``. Every hook but one collects: each implementation is
called and the results are gathered in a list (one item per implementing plugin). The
exception is ``hubwire_provider_oauth`` (``firstresult``): the first non-None result wins.

``docs/connectors/writing.md`` documents each hook with its signature; a test keeps the two
in step."""

from __future__ import annotations

from collections.abc import Awaitable
from types import ModuleType

import pluggy
import typer
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database
from core.plugins.auth import ProviderOAuth, TokenAuthenticator
from core.plugins.connector import Connector
from core.plugins.events import EventType
from core.plugins.types import SyncResult
from core.settings import Settings
from core.tasks import TaskRuntime

PROJECT = "hubwire"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def hubwire_event_types() -> list[EventType]:  # type: ignore[empty-body]
    """Called once when a process builds its event catalog.

    Returns the event types this plugin emits (names like ``hubspot.contact_synced``); they
    appear in ``GET /v1/webhook-events`` and webhooks may subscribe to them. All results are
    collected; a name declared twice keeps the first declaration."""


@hookspec
def hubwire_api_routers() -> list[APIRouter]:  # type: ignore[empty-body]
    """Called once by the app factory.

    Returns the routers this plugin serves (e.g. ``/oauth/*`` and ``/v1/oauth-apps``); they are
    included after core's routers and share its middleware, errors and OpenAPI document.
    All results are collected."""


@hookspec
def hubwire_token_authenticators(db: Database) -> list[TokenAuthenticator]:  # type: ignore[empty-body]
    """Called once per process when core builds its ``Authenticator``.

    Returns authenticators for bearer tokens that are not API keys (OAuth access tokens, user
    tokens). Core tries API keys (``hw_…``) itself, then each authenticator in turn; an
    authenticator returns None for tokens it does not issue. All results are collected."""


@hookspec
def hubwire_cli(app: typer.Typer) -> None:
    """Called once when the ``hubwire`` command line is built.

    Adds this plugin's sub-commands to ``app`` (e.g. ``hubwire users create``). Returns
    nothing; every implementation is called."""


@hookspec
def hubwire_demo_setup(  # type: ignore[empty-body]
    session: AsyncSession, workspace_id: str
) -> Awaitable[list[str]]:
    """Called by ``hubwire serve --demo`` inside the transaction that prepares the demo
    workspace ``workspace_id``.

    Returns an awaitable of the lines to print (e.g. a demo owner's login). All results are
    collected and awaited in registration order."""


@hookspec
def hubwire_connectors() -> list[Connector]:  # type: ignore[empty-body]
    """Called when the connector registry is built (``core.plugins.manager.connector_registry``:
    the catalog, the CLI, the sync engine).

    Returns the connectors this plugin provides, as instances of ``connectors.kit.Connector``.
    All results are collected; two connectors with the same slug are a configuration error.
    ``HUBWIRE_CONNECTORS`` may leave some of them out."""


@hookspec
def hubwire_sync_result(result: SyncResult) -> None:
    """Called by the sync engine after each sync step (one push batch or one pulled page of
    one object type, for one connection), after its transaction committed.

    An observer (metrics, audit, alerts): returns nothing, every implementation is called,
    and it must not raise (an exception is logged and does not undo the step)."""


@hookspec(firstresult=True)
def hubwire_provider_oauth() -> ProviderOAuth:  # type: ignore[empty-body]
    """Called whenever core runs the OAuth 2.0 client side of a connection: building the
    provider's consent URL (``POST /v1/connections``), exchanging the callback's code, and
    refreshing access tokens (the credential vault).

    Returns the OAuth client, an object implementing
    ``core.connections.provider_oauth.ProviderOAuth`` (``oauth/`` provides one built on
    Authlib). ``firstresult``: the first implementation that returns a result (not None)
    wins and the others are not called; plugins registered later are called first, so a
    plugin can replace the built-in client."""


@hookspec(firstresult=True)
def hubwire_task_runtime(settings: Settings) -> TaskRuntime:  # type: ignore[empty-body]
    """Called once per process when core builds its services (the API, ``hubwire serve``).

    Returns the background-task runtime for ``settings``: a ``core.tasks.TaskRuntime``
    whose queue sends tasks to the broker and which, in embedded mode, runs a worker in this
    process (``sync`` provides the Celery one). ``firstresult``: the first implementation
    that returns one wins; plugins registered later are called first."""


@hookspec
def hubwire_models() -> list[ModuleType]:  # type: ignore[empty-body]
    """Called before the database schema is compared, migrated or walked (Alembic's
    autogenerate, ``hubwire secrets rotate``).

    Returns the modules that define this plugin's tables, imported, so that their tables
    are in ``core.database.Base.metadata``. All results are collected."""
