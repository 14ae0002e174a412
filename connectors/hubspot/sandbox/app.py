"""The HubSpot sandbox's HTTP API, assembled from one router per area: OAuth
(``oauth``), CRM v3 objects (``objects``), batch (``batch``), search (``search``), v4
associations (``associations``) and the admin surface acting as a HubSpot user
(``admin``). Every router reaches the instance's shared state (``Sandbox``) through the
``deps.SandboxDep`` dependency, so one process can serve several sandboxes."""

from __future__ import annotations

from fastapi import FastAPI

from connectors.hubspot.sandbox import admin, associations, batch, oauth, objects, search
from connectors.hubspot.sandbox.config import SandboxConfig
from connectors.hubspot.sandbox.errors import install_error_handlers
from connectors.hubspot.sandbox.state import Sandbox

__all__ = ["Sandbox", "create_sandbox"]

ROUTERS = (
    oauth.router,
    objects.router,
    batch.router,
    search.router,
    associations.router,
    admin.router,
)


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    """A FastAPI app faking the HubSpot endpoints Hubwire uses. Mountable under any prefix;
    the instance is at ``app.state.sandbox`` (its ``store`` is the inspection API)."""
    app = FastAPI(title="HubSpot sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = Sandbox(config or SandboxConfig())
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
