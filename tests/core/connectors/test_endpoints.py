"""``GET /v1/connectors``: the catalog of installed connectors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.plugins.manager import plugin_manager
from tests.conftest import Api, Tenant
from tests.connectors.example import ExamplePlugin


@pytest.fixture
def example_installed() -> Iterator[None]:
    plugin = ExamplePlugin()
    plugin_manager().register(plugin)
    yield
    plugin_manager().unregister(plugin)


@pytest.mark.usefixtures("example_installed")
async def test_the_catalog_lists_each_connector_with_auth_events_and_objects(api: Api) -> None:
    response = await api.get("/v1/connectors")
    assert response.status_code == 200, response.text
    listed = {c["slug"]: c for c in response.json()["data"]}
    assert listed["example_crm"] == {
        "slug": "example_crm",
        "title": "Example CRM",
        "description": "A test connector.",
        "auth": {
            "type": "api_key",
            "authorizeUrl": None,
            "tokenUrl": None,
            "scopes": [],
            "header": "X-Api-Key",
        },
        "events": ["lead.created", "lead.*"],
        "objects": [
            {
                "name": "contact",
                "direction": "both",
                "description": "Leads as contacts.",
                "hubObject": "lead",
            }
        ],
        "rateLimits": [{"requests": 10, "windowSeconds": 1, "per": "connection"}],
        "webhooks": True,
    }


@pytest.mark.usefixtures("example_installed")
async def test_hubwire_connectors_limits_the_catalog(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBWIRE_CONNECTORS", "example_crm")
    assert [c["slug"] for c in (await api.get("/v1/connectors")).json()["data"]] == ["example_crm"]


async def test_the_catalog_needs_connections_read(tenant: Tenant, api: Api) -> None:
    limited = Api(api.http, await tenant.key(["leads:read"]))
    response = await limited.get("/v1/connectors")
    assert response.status_code == 403
    assert response.json()["error"]["details"]["requiredScope"] == "connections:read"
    allowed = Api(api.http, await tenant.key(["connections:read"]))
    assert (await allowed.get("/v1/connectors")).status_code == 200


async def test_the_openapi_document_has_an_example(api: Api) -> None:
    spec = (await api.http.get("/openapi.json")).json()
    operation = spec["paths"]["/v1/connectors"]["get"]
    assert "ApiKey" in str(operation["security"])
    schema = spec["components"]["schemas"]["ConnectorCatalogOut"]
    assert schema["examples"][0]["data"][0]["auth"]["type"] == "oauth2"
