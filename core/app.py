"""The app factory: one FastAPI app per settings object."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic.alias_generators import to_camel

from core import __version__
from core.apidocs.endpoints import router as apidocs_router
from core.connectors.service import MountedSandboxes, mount_sandboxes
from core.container import Services
from core.errors import install_error_handlers
from core.idempotency.service import IdempotentReplay
from core.input_guard import InputGuard
from core.logs import install_log_redaction
from core.metrics.endpoints import router as metrics_router
from core.middleware import RequestPipeline
from core.migrations.runner import upgrade_async
from core.openapi import install_openapi
from core.plugins.manager import plugin_manager
from core.responses import JsonResponse
from core.routes import api_router
from core.settings import Settings, get_settings

DESCRIPTION = """\
The Hubwire public API: leads, calls, chat and analytics for your workspace, with API
clients, keys and usage for the partners that read them.

Authenticate with `Authorization: Bearer hw_live_…` (an API key), an OAuth access token
(`hwo_at_…`) or a user token (`hwu_at_…`). Every route names the scope it needs.
Errors always use one envelope: `{"error": {"code", "message", "details", "requestId"}}`.
Unknown body fields and query parameters are both refused (422, `extra_forbidden`), except
by the routes providers call back (the OAuth callback, inbound webhooks).
"""


def plugin_routers() -> list[APIRouter]:
    """The routers installed plugins serve (the OAuth server, user login)."""
    declared: list[list[APIRouter]] = plugin_manager().hook.hubwire_api_routers()
    return [router for routers in declared for router in routers]


def operation_id(route: APIRoute) -> str:
    """``listLeads`` rather than FastAPI's ``list_leads_v1_leads_get``: the SDKs' method
    names. Endpoint function names are unique across the API (the spec test checks)."""
    return to_camel(route.name)


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level)
    install_log_redaction()
    services = services or Services.build(settings)

    sandboxes: MountedSandboxes | None = None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.is_sqlite:
            await upgrade_async(settings.database_url)
        await services.start()
        try:
            yield
        finally:
            if sandboxes is not None:
                sandboxes.save()
            await services.close()

    app = FastAPI(
        title="Hubwire API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=JsonResponse,
        # Served by core.apidocs from the package itself (no CDN).
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        servers=[{"url": settings.public_base_url, "description": "This server"}],
        generate_unique_id_function=operation_id,
    )
    app.state.services = services
    install_error_handlers(app)

    async def on_replay(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, IdempotentReplay)
        return exc.response

    app.add_exception_handler(IdempotentReplay, on_replay)
    app.include_router(api_router)
    app.include_router(apidocs_router)
    if settings.metrics_enabled:
        app.include_router(metrics_router)
    for router in plugin_routers():
        app.include_router(router)
    if settings.sandboxes:
        sandboxes = mount_sandboxes(app, settings.public_base_url, settings.sandbox_state_dir)
        app.state.sandboxes = sandboxes
    install_openapi(app)
    app.add_middleware(InputGuard)  # inside the pipeline: its refusals get the request id
    app.add_middleware(RequestPipeline, services=services)
    return app


def snapshot_spec() -> dict[str, Any]:
    """The spec as committed in ``sdk/openapi.json``: built from default settings so that
    neither the environment nor the machine changes it."""
    app = create_app(Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:"))
    spec = app.openapi()
    spec["servers"] = [{"url": "http://127.0.0.1:8000", "description": "make run"}]
    return spec
