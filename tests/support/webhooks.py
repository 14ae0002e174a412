"""Subscribing through the public API from outside a test app (fault tests, benchmarks)."""

from __future__ import annotations

from typing import Any

import httpx

from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import ApiKeyService
from core.app import create_app
from core.settings import Settings
from core.workspaces.service import workspaces


async def subscribe_through_api(
    settings: Settings,
    workspace_id: str,
    url: str,
    *,
    events: list[str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Mints an API key for the workspace and creates a subscription with
    ``POST /v1/webhooks`` on an in-process app; returns the created webhook (secret included)."""
    app = create_app(settings)
    async with app.state.services.db.session() as session:
        client = await workspaces.default_client(session, workspace_id)
        issued = await ApiKeyService().create(
            session,
            workspace_id=workspace_id,
            data=ApiKeyCreate(
                client_id=client.id,
                name="webhook subscriber",
                scopes=["webhooks:read", "webhooks:write"],
                tier="enterprise",
                rate_limit_override=100_000,
            ),
            grantor_scopes=None,
        )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as http:
            response = await http.post(
                "/v1/webhooks",
                json={"url": url, "events": events or ["lead.*"], **fields},
                headers={"Authorization": f"Bearer {issued.plaintext}"},
            )
    if response.status_code != 201:
        raise RuntimeError(f"POST /v1/webhooks: {response.status_code} {response.text}")
    webhook: dict[str, Any] = response.json()
    return webhook
