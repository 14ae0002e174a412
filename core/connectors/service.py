"""The connector catalog: what is installed, read through the plugin manager."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from core.connectors.schemas import ConnectorOut
from core.plugins.manager import connector_catalog, connector_registry


def _installed() -> list[dict[str, Any]]:
    return connector_catalog()


def mount_sandboxes(app: FastAPI, public_base_url: str) -> list[str]:
    """Mounts every installed connector's sandbox at ``/sandbox/<slug>`` (``HUBWIRE_SANDBOXES``)
    and points its outbound webhooks at ``/v1/connectors/<slug>/webhooks``; returns the slugs."""
    mounted = []
    for slug, connector in connector_registry().items():
        sandbox = connector.sandbox()
        if sandbox is None:
            continue
        sandbox_app = sandbox.create_app()
        if sandbox.set_webhook_target is not None:
            sandbox.set_webhook_target(
                sandbox_app, f"{public_base_url.rstrip('/')}/v1/connectors/{slug}/webhooks"
            )
        app.mount(f"/sandbox/{slug}", sandbox_app)
        mounted.append(slug)
    return mounted


class ConnectorService:
    def catalog(self) -> list[ConnectorOut]:
        """Every loaded connector (``HUBWIRE_CONNECTORS`` applied), in slug order."""
        return [ConnectorOut.model_validate(entry) for entry in _installed()]


connectors = ConnectorService()
