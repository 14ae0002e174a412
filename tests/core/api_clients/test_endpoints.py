from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from core.api_keys.models import ApiKey
from core.container import Services
from core.database import utcnow
from tests.conftest import Api, Tenant

CLIENT = {
    "name": "Acme CRM bridge",
    "description": "Syncs leads into Acme",
    "website": "https://acme.example/",
    "logoUrl": "https://acme.example/logo.png",
    "contactEmail": "dev@acme.example",
    "redirectUris": ["https://acme.example/callback"],
    "rateLimitTier": "standard",
    "scopes": ["leads:write", "leads:read"],
    "metadata": {"crm": "acme", "region": "eu", "seats": 12},
}


async def create_client(api: Api, **overrides: Any) -> dict[str, Any]:
    response = await api.post("/v1/api-clients", json={**CLIENT, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


async def create_key(api: Api, client_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"clientId": client_id, "name": "partner key", "scopes": ["leads:read"], **overrides}
    response = await api.post("/v1/api-keys", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_returns_camel_case_client_with_metadata(api: Api) -> None:
    client = await create_client(api)

    assert client["id"].startswith("cli_")
    assert client["name"] == "Acme CRM bridge"
    assert client["description"] == "Syncs leads into Acme"
    assert client["website"] == "https://acme.example/"
    assert client["logoUrl"] == "https://acme.example/logo.png"
    assert client["contactEmail"] == "dev@acme.example"
    assert client["redirectUris"] == ["https://acme.example/callback"]
    assert client["rateLimitTier"] == "standard"
    assert client["status"] == "active"
    assert client["scopes"] == ["leads:read", "leads:write"]
    assert client["metadata"] == {"crm": "acme", "region": "eu", "seats": 12}
    assert client["createdAt"] and client["updatedAt"]
    assert not any("_" in field for field in client)

    fetched = await api.get(f"/v1/api-clients/{client['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == client


async def test_create_applies_defaults(api: Api) -> None:
    response = await api.post(
        "/v1/api-clients", json={"name": "Minimal", "contactEmail": "min@example.com"}
    )
    assert response.status_code == 201, response.text
    client = response.json()
    assert client["rateLimitTier"] == "basic"
    assert client["status"] == "active"
    assert client["scopes"] == []
    assert client["metadata"] == {}
    assert client["redirectUris"] == []
    assert client["description"] is None


async def test_invalid_bodies_are_rejected(api: Api) -> None:
    unknown_scope = await api.post(
        "/v1/api-clients", json={**CLIENT, "scopes": ["leads:read", "leads:teleport"]}
    )
    assert unknown_scope.status_code == 422
    error = unknown_scope.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert "leads:teleport" in unknown_scope.text
    assert error["details"]["errors"][0]["field"] == "scopes"

    bad_email = await api.post("/v1/api-clients", json={**CLIENT, "contactEmail": "nope"})
    assert bad_email.status_code == 422

    bad_tier = await api.post("/v1/api-clients", json={**CLIENT, "rateLimitTier": "platinum"})
    assert bad_tier.status_code == 422

    unknown_field = await api.post("/v1/api-clients", json={**CLIENT, "colour": "red"})
    assert unknown_field.status_code == 422

    missing_name = await api.post("/v1/api-clients", json={"contactEmail": "a@example.com"})
    assert missing_name.status_code == 422

    bad_patch = await api.patch(
        f"/v1/api-clients/{(await create_client(api))['id']}", json={"scopes": ["nope:nope"]}
    )
    assert bad_patch.status_code == 422


async def test_list_filters_and_paginates(api: Api, tenant: Tenant) -> None:
    alpha = await create_client(api, name="Alpha Sync", contactEmail="alpha@partner.example")
    beta = await create_client(
        api, name="Beta Bridge", contactEmail="Ops@Beta.example", rateLimitTier="premium"
    )
    gamma = await create_client(
        api, name="Gamma", contactEmail="gamma@partner.example", rateLimitTier="premium"
    )
    suspended = await api.patch(f"/v1/api-clients/{gamma['id']}", json={"status": "suspended"})
    assert suspended.status_code == 200

    everything = (await api.get("/v1/api-clients")).json()
    # The workspace's default client is listed too.
    assert everything["pagination"]["total"] == 4
    assert tenant.client_id in {client["id"] for client in everything["data"]}

    async def ids(**params: Any) -> set[str]:
        response = await api.get("/v1/api-clients", params=params)
        assert response.status_code == 200, response.text
        return {client["id"] for client in response.json()["data"]}

    assert await ids(status="suspended") == {gamma["id"]}
    assert gamma["id"] not in await ids(status="active")
    assert await ids(rateLimitTier="premium") == {beta["id"], gamma["id"]}
    assert await ids(rateLimitTier="premium", status="active") == {beta["id"]}
    assert await ids(contactEmail="ops@beta.example") == {beta["id"]}
    assert await ids(search="sync") == {alpha["id"]}
    assert await ids(search="PARTNER.example") == {alpha["id"], gamma["id"]}
    assert await ids(search="%") == set()

    invalid = await api.get("/v1/api-clients", params={"status": "deleted"})
    assert invalid.status_code == 422

    seen: list[str] = []
    first = (await api.get("/v1/api-clients", params={"limit": 3, "sort": "name"})).json()
    assert first["pagination"]["hasMore"] is True
    assert first["pagination"]["limit"] == 3
    seen += [client["id"] for client in first["data"]]
    second = (
        await api.get(
            "/v1/api-clients",
            params={"limit": 3, "sort": "name", "cursor": first["pagination"]["nextCursor"]},
        )
    ).json()
    assert second["pagination"]["hasMore"] is False
    seen += [client["id"] for client in second["data"]]
    names = [client["name"] for client in first["data"] + second["data"]]
    assert names == sorted(names)
    assert len(seen) == 4 and len(set(seen)) == 4

    by_offset = (await api.get("/v1/api-clients", params={"limit": 2, "offset": 2})).json()
    assert len(by_offset["data"]) == 2
    assert by_offset["pagination"]["offset"] == 2

    trimmed = (await api.get("/v1/api-clients", params={"fields": "name", "limit": 1})).json()
    assert set(trimmed["data"][0]) == {"id", "name"}


async def test_clients_of_other_workspaces_are_invisible(
    api: Api, http: httpx.AsyncClient, make_tenant: Any
) -> None:
    mine = await create_client(api)
    other = Api(http, await (await make_tenant()).key())

    assert mine["id"] not in {c["id"] for c in (await other.get("/v1/api-clients")).json()["data"]}
    assert (await other.get(f"/v1/api-clients/{mine['id']}")).status_code == 404
    assert (
        await other.patch(f"/v1/api-clients/{mine['id']}", json={"name": "x"})
    ).status_code == 404
    assert (await other.delete(f"/v1/api-clients/{mine['id']}")).status_code == 404
    assert (await api.get(f"/v1/api-clients/{mine['id']}")).status_code == 200


async def test_patch_updates_only_given_fields(api: Api) -> None:
    client = await create_client(api)

    response = await api.patch(
        f"/v1/api-clients/{client['id']}",
        json={
            "name": "Acme v2",
            "rateLimitTier": "enterprise",
            "metadata": {"crm": "acme2"},
            "description": None,
        },
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["name"] == "Acme v2"
    assert updated["rateLimitTier"] == "enterprise"
    assert updated["metadata"] == {"crm": "acme2"}
    assert updated["description"] is None
    assert updated["contactEmail"] == client["contactEmail"]
    assert updated["scopes"] == client["scopes"]
    assert updated["createdAt"] == client["createdAt"]
    assert updated["updatedAt"] >= client["updatedAt"]
    assert (await api.get(f"/v1/api-clients/{client['id']}")).json() == updated

    # Required fields cannot be cleared with null; they are left as they were.
    kept = await api.patch(f"/v1/api-clients/{client['id']}", json={"name": None})
    assert kept.status_code == 200
    assert kept.json()["name"] == "Acme v2"

    missing = await api.patch("/v1/api-clients/cli_doesnotexist", json={"name": "x"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_delete_removes_client_and_its_keys_stop_working(
    api: Api, http: httpx.AsyncClient
) -> None:
    client = await create_client(api)
    key = await create_key(api, client["id"])
    partner = Api(http, key["key"])
    assert (await partner.get("/v1/leads")).status_code == 200

    deleted = await api.delete(f"/v1/api-clients/{client['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""

    assert (await api.get(f"/v1/api-clients/{client['id']}")).status_code == 404
    assert (await api.delete(f"/v1/api-clients/{client['id']}")).status_code == 404
    assert (await api.get(f"/v1/api-keys/{key['id']}")).status_code == 404

    rejected = await partner.get("/v1/leads")
    assert rejected.status_code == 401
    assert rejected.json()["error"]["code"] == "UNAUTHORIZED"


async def test_a_key_cannot_delete_its_own_client(api: Api, http: httpx.AsyncClient) -> None:
    client = await create_client(api, scopes=["clients:write", "leads:read"])
    key = await create_key(api, client["id"], scopes=["clients:write", "leads:read"])
    partner = Api(http, key["key"])
    refused = await partner.delete(f"/v1/api-clients/{client['id']}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "CONFLICT"
    assert client["id"] in refused.json()["error"]["message"]
    # Nothing was deleted: the key still works, the client is there.
    assert (await partner.get("/v1/leads")).status_code == 200
    assert (await api.get(f"/v1/api-clients/{client['id']}")).status_code == 200
    # Another client's key may delete it.
    assert (await api.delete(f"/v1/api-clients/{client['id']}")).status_code == 204


async def test_suspending_a_client_disables_its_keys_until_reactivated(
    api: Api, http: httpx.AsyncClient
) -> None:
    client = await create_client(api)
    partner = Api(http, (await create_key(api, client["id"]))["key"])

    await api.patch(f"/v1/api-clients/{client['id']}", json={"status": "suspended"})
    assert (await partner.get("/v1/leads")).status_code == 401

    await api.patch(f"/v1/api-clients/{client['id']}", json={"status": "active"})
    assert (await partner.get("/v1/leads")).status_code == 200


async def test_narrowing_a_clients_scopes_narrows_its_existing_keys(
    api: Api, http: httpx.AsyncClient
) -> None:
    client = await create_client(api)
    key = await create_key(api, client["id"], scopes=["leads:read", "leads:write"])
    partner = Api(http, key["key"])
    assert (await partner.post("/v1/leads", json={"name": "Ada"})).status_code == 201

    response = await api.patch(f"/v1/api-clients/{client['id']}", json={"scopes": ["leads:read"]})
    assert response.status_code == 200

    assert (await partner.get("/v1/leads")).status_code == 200
    forbidden = await partner.post("/v1/leads", json={"name": "Grace"})
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["details"]["requiredScope"] == "leads:write"


async def test_scopes_are_required_for_client_management(
    api: Api, tenant: Tenant, http: Any
) -> None:
    reader = Api(http, await tenant.key(["clients:read"]))
    assert (await reader.get("/v1/api-clients")).status_code == 200
    denied = await reader.post("/v1/api-clients", json=CLIENT)
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["requiredScope"] == "clients:write"
    assert (await reader.delete(f"/v1/api-clients/{tenant.client_id}")).status_code == 403

    nobody = Api(http, await tenant.key(["leads:read"]))
    assert (await nobody.get("/v1/api-clients")).status_code == 403


async def test_dashboard_reports_keys_usage_and_rate_limits(
    api: Api, http: httpx.AsyncClient, services: Services
) -> None:
    client = await create_client(api, rateLimitTier="premium")
    active = await create_key(api, client["id"])
    revoked = await create_key(api, client["id"], name="revoked")
    expired = await create_key(api, client["id"], name="expired")
    assert (
        await api.delete(f"/v1/api-clients/{client['id']}/api-keys/{revoked['id']}")
    ).status_code == 204
    async with services.db.session() as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == expired["id"])
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )

    empty = (await api.get(f"/v1/api-clients/{client['id']}/dashboard")).json()
    assert empty["usageLast24Hours"] == {"requests": 0, "errors": 0, "averageResponseTimeMs": 0.0}

    partner = Api(http, active["key"])
    for _ in range(3):
        assert (await partner.get("/v1/leads")).status_code == 200
    assert (await partner.get("/v1/leads/lead_missing")).status_code == 404
    assert (await partner.post("/v1/leads", json={"name": "x"})).status_code == 403
    # Rejected credentials are not attributed to the client.
    assert (await Api(http, revoked["key"]).get("/v1/leads")).status_code == 401
    assert (await Api(http, expired["key"]).get("/v1/leads")).status_code == 401
    await services.usage.flush()

    response = await api.get(f"/v1/api-clients/{client['id']}/dashboard")
    assert response.status_code == 200, response.text
    dashboard = response.json()
    assert set(dashboard) == {"client", "keys", "usageLast24Hours", "usageLast30Days", "rateLimit"}
    assert dashboard["client"]["id"] == client["id"]
    assert dashboard["client"]["metadata"] == CLIENT["metadata"]
    assert dashboard["keys"] == {"total": 3, "active": 1, "revoked": 1, "expired": 1}
    for window in ("usageLast24Hours", "usageLast30Days"):
        assert dashboard[window]["requests"] == 5
        assert dashboard[window]["errors"] == 2
        assert dashboard[window]["averageResponseTimeMs"] > 0
    assert dashboard["rateLimit"] == {
        "tier": "premium",
        "requestsPerMinute": 300,
        "requestsPerHour": 15000,
        "requestsPerDay": 150000,
        "burst": 50,
    }

    assert (await api.get("/v1/api-clients/cli_nope/dashboard")).status_code == 404
