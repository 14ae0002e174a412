from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from core.api_keys.models import ApiKey
from core.container import Services
from core.database import utcnow
from core.idempotency.models import IdempotencyRecord
from tests.conftest import Api, Tenant


async def new_client(api: Api, scopes: list[str] | None = None) -> str:
    response = await api.post(
        "/v1/api-clients",
        json={
            "name": "Partner",
            "contactEmail": "partner@example.com",
            "scopes": scopes or ["leads:read", "leads:write"],
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def issue(api: Api, client_id: str, **fields: Any) -> httpx.Response:
    body = {"clientId": client_id, "name": "partner key", "scopes": ["leads:read"], **fields}
    return await api.post("/v1/api-keys", json=body)


async def issued(api: Api, client_id: str, **fields: Any) -> dict[str, Any]:
    response = await issue(api, client_id, **fields)
    assert response.status_code == 201, response.text
    return response.json()


def secret_of(key: str) -> str:
    return key.rsplit("_", 1)[1]


async def test_create_returns_the_full_key_once_and_it_works(
    api: Api, http: httpx.AsyncClient
) -> None:
    client_id = await new_client(api)
    key = await issued(
        api,
        client_id,
        name="Production key",
        scopes=["leads:write", "leads:read", "leads:read"],
        environment="test",
        tier="standard",
        rateLimitOverride=200,
        ipAllowlist=["127.0.0.0/8", " 10.1.2.3 "],
        expiresInDays=30,
    )

    assert key["id"].startswith("key_")
    public_id = key["id"].removeprefix("key_")
    assert key["key"].startswith(f"hw_test_{public_id}_")
    assert key["prefix"] == f"hw_test_{public_id}"
    assert key["maskedKey"] == f"hw_test_{public_id}_********"
    assert key["clientId"] == client_id
    assert key["name"] == "Production key"
    assert key["environment"] == "test"
    assert key["status"] == "active"
    assert key["scopes"] == ["leads:read", "leads:write"]
    assert key["tier"] == "standard"
    assert key["rateLimitOverride"] == 200
    assert key["ipAllowlist"] == ["127.0.0.0/8", "10.1.2.3/32"]
    assert key["lastUsedAt"] is None
    assert key["revokedAt"] is None
    expires_at = datetime.fromisoformat(key["expiresAt"])
    assert abs(expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)

    partner = Api(http, key["key"])
    listed = await partner.get("/v1/leads")
    assert listed.status_code == 200, listed.text
    assert listed.headers["X-RateLimit-Limit"] == "200"
    assert (await partner.post("/v1/leads", json={"name": "Ada"})).status_code == 201


async def test_reads_never_reveal_the_secret(api: Api) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)
    secret = secret_of(key["key"])

    fetched = await api.get(f"/v1/api-keys/{key['id']}")
    assert fetched.status_code == 200
    assert secret not in fetched.text
    view = fetched.json()
    assert "key" not in view
    assert not {"secretHash", "previousSecretHash"} & set(view)
    assert view["maskedKey"] == key["maskedKey"]
    assert view == {name: value for name, value in key.items() if name != "key"}

    listed = await api.get(f"/v1/api-clients/{client_id}/api-keys")
    assert listed.status_code == 200
    assert secret not in listed.text
    assert [item["id"] for item in listed.json()["data"]] == [key["id"]]
    assert listed.json()["data"][0]["maskedKey"].endswith("_********")
    assert "key" not in listed.json()["data"][0]

    rotated = await api.post(f"/v1/api-keys/{key['id']}/rotate", json={})
    new_secret = secret_of(rotated.json()["key"])
    for response in (
        await api.get(f"/v1/api-keys/{key['id']}"),
        await api.get(f"/v1/api-clients/{client_id}/api-keys"),
    ):
        assert secret not in response.text
        assert new_secret not in response.text


async def test_list_keys_of_a_client_paginates(api: Api) -> None:
    client_id = await new_client(api)
    other_client = await new_client(api)
    ids = {(await issued(api, client_id, name=f"k{i}"))["id"] for i in range(3)}
    await issued(api, other_client)

    first = (await api.get(f"/v1/api-clients/{client_id}/api-keys", params={"limit": 2})).json()
    assert first["pagination"]["total"] == 3
    assert first["pagination"]["hasMore"] is True
    rest = (
        await api.get(
            f"/v1/api-clients/{client_id}/api-keys",
            params={"limit": 2, "cursor": first["pagination"]["nextCursor"]},
        )
    ).json()
    assert {item["id"] for item in first["data"] + rest["data"]} == ids

    assert (await api.get("/v1/api-clients/cli_nope/api-keys")).status_code == 404


async def test_scopes_beyond_the_client_are_a_400(api: Api) -> None:
    client_id = await new_client(api, ["leads:read"])
    response = await issue(api, client_id, scopes=["leads:read", "leads:delete"])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["details"]["scopes"] == ["leads:delete"]


async def test_scopes_beyond_the_callers_own_are_a_403(
    api: Api, tenant: Tenant, http: httpx.AsyncClient
) -> None:
    client_id = await new_client(api)
    limited = Api(http, await tenant.key(["keys:write", "keys:read", "leads:read"]))

    allowed = await issue(limited, client_id, scopes=["leads:read"])
    assert allowed.status_code == 201, allowed.text

    denied = await issue(limited, client_id, scopes=["leads:read", "leads:write"])
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "FORBIDDEN"
    assert denied.json()["error"]["details"]["scopes"] == ["leads:write"]


async def test_invalid_create_bodies(api: Api, tenant: Tenant) -> None:
    client_id = await new_client(api)

    assert (await issue(api, client_id, scopes=["leads:fly"])).status_code == 422
    assert (await issue(api, client_id, scopes=[])).status_code == 422
    assert (await issue(api, client_id, environment="staging")).status_code == 422
    assert (await issue(api, client_id, ipAllowlist=["not-an-ip"])).status_code == 422
    assert (await issue(api, client_id, rateLimitOverride=0)).status_code == 422
    both = await issue(
        api, client_id, expiresInDays=5, expiresAt=(utcnow() + timedelta(days=1)).isoformat()
    )
    assert both.status_code == 422

    missing = await issue(api, "cli_doesnotexist")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "expiry",
    [
        {"expiresInDays": 0},
        {"expiresInDays": -3},
        {"expiresAt": "2020-01-01T00:00:00Z"},
        {"expiresAt": "2020-01-01T00:00:00+02:00"},
        {"expiresAt": "2020-01-01T00:00:00"},
    ],
)
async def test_expiry_in_the_past_is_refused(api: Api, expiry: dict[str, Any]) -> None:
    client_id = await new_client(api)
    response = await issue(api, client_id, **expiry)
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["code"] in ("INVALID_REQUEST", "VALIDATION_FAILED")


async def test_expires_at_without_offset_is_utc(api: Api) -> None:
    client_id = await new_client(api)
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0, tzinfo=None)
    key = await issued(api, client_id, expiresAt=when.isoformat())
    assert datetime.fromisoformat(key["expiresAt"]) == when.replace(tzinfo=UTC)


async def test_revoke_takes_effect_immediately(api: Api, http: httpx.AsyncClient) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)
    partner = Api(http, key["key"])
    assert (await partner.get("/v1/leads")).status_code == 200

    revoked = await api.delete(f"/v1/api-clients/{client_id}/api-keys/{key['id']}")
    assert revoked.status_code == 204

    rejected = await partner.get("/v1/leads")
    assert rejected.status_code == 401
    assert "revoked" in rejected.json()["error"]["message"]

    view = (await api.get(f"/v1/api-keys/{key['id']}")).json()
    assert view["status"] == "revoked"
    assert view["revokedAt"] is not None

    # Revoking again is harmless; a key of another client is not found under this one.
    assert (
        await api.delete(f"/v1/api-clients/{client_id}/api-keys/{key['id']}")
    ).status_code == 204
    other_client = await new_client(api)
    other_key = await issued(api, other_client)
    assert (
        await api.delete(f"/v1/api-clients/{client_id}/api-keys/{other_key['id']}")
    ).status_code == 404
    assert (await Api(http, other_key["key"]).get("/v1/leads")).status_code == 200


async def test_a_key_is_revoked_by_its_own_path_too(api: Api, http: httpx.AsyncClient) -> None:
    key = await issued(api, await new_client(api))
    partner = Api(http, key["key"])
    assert (await partner.get("/v1/leads")).status_code == 200
    assert (await api.delete(f"/v1/api-keys/{key['id']}")).status_code == 204
    assert (await partner.get("/v1/leads")).status_code == 401
    assert (await api.get(f"/v1/api-keys/{key['id']}")).json()["status"] == "revoked"
    missing = await api.delete("/v1/api-keys/key_doesnotexist")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_an_unknown_scope_is_refused_listing_the_valid_ones(api: Api) -> None:
    refused = await issue(api, await new_client(api), scopes=["*"])
    assert refused.status_code == 422
    text = str(refused.json()["error"])
    assert "unknown scope(s): *" in text and "leads:read" in text and "webhooks:write" in text


async def test_rotate_keeps_the_old_secret_for_the_grace_period(
    api: Api, http: httpx.AsyncClient
) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)

    response = await api.post(f"/v1/api-keys/{key['id']}/rotate", json={"gracePeriodHours": 2})
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["id"] == key["id"]
    assert rotated["prefix"] == key["prefix"]
    assert rotated["key"].startswith(key["prefix"] + "_")
    assert rotated["key"] != key["key"]
    grace_end = datetime.fromisoformat(rotated["previousSecretExpiresAt"])
    assert abs(grace_end - (utcnow() + timedelta(hours=2))) < timedelta(minutes=1)

    assert (await Api(http, rotated["key"]).get("/v1/leads")).status_code == 200
    assert (await Api(http, key["key"]).get("/v1/leads")).status_code == 200

    # The default grace period applies without a body.
    again = await api.post(f"/v1/api-keys/{key['id']}/rotate")
    assert again.status_code == 200, again.text
    assert (await Api(http, again.json()["key"]).get("/v1/leads")).status_code == 200
    assert (await Api(http, rotated["key"]).get("/v1/leads")).status_code == 200
    # Only the secret just replaced is in its grace period.
    assert (await Api(http, key["key"]).get("/v1/leads")).status_code == 401


async def test_old_secret_stops_when_the_grace_period_ends(
    api: Api, http: httpx.AsyncClient, services: Services
) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)
    rotated = (await api.post(f"/v1/api-keys/{key['id']}/rotate", json={})).json()
    async with services.db.session() as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == key["id"])
            .values(previous_secret_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert (await Api(http, key["key"]).get("/v1/leads")).status_code == 401
    assert (await Api(http, rotated["key"]).get("/v1/leads")).status_code == 200


async def test_rotate_without_grace_ends_the_old_secret_at_once(
    api: Api, http: httpx.AsyncClient
) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)

    response = await api.post(f"/v1/api-keys/{key['id']}/rotate", json={"gracePeriodHours": 0})
    assert response.status_code == 200
    assert response.json()["previousSecretExpiresAt"] is None

    assert (await Api(http, key["key"]).get("/v1/leads")).status_code == 401
    assert (await Api(http, response.json()["key"]).get("/v1/leads")).status_code == 200


async def test_rotate_rejects_revoked_missing_and_invalid(api: Api) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)
    await api.delete(f"/v1/api-clients/{client_id}/api-keys/{key['id']}")

    revoked = await api.post(f"/v1/api-keys/{key['id']}/rotate", json={})
    assert revoked.status_code == 400
    assert revoked.json()["error"]["code"] == "INVALID_REQUEST"

    assert (await api.post("/v1/api-keys/key_nope/rotate", json={})).status_code == 404
    live = await issued(api, client_id)
    too_long = await api.post(f"/v1/api-keys/{live['id']}/rotate", json={"gracePeriodHours": 999})
    assert too_long.status_code == 422
    negative = await api.post(f"/v1/api-keys/{live['id']}/rotate", json={"gracePeriodHours": -1})
    assert negative.status_code == 422


async def test_rotating_needs_every_scope_of_the_rotated_key(
    api: Api, tenant: Tenant, http: httpx.AsyncClient
) -> None:
    """Rotation hands out the key's new secret, so it is a grant like creating a key."""
    client_id = await new_client(api, ["leads:read", "leads:write", "leads:delete"])
    powerful = await issued(api, client_id, scopes=["leads:read", "leads:delete"])
    modest = await issued(api, client_id, scopes=["leads:read"])
    limited = Api(http, await tenant.key(["keys:write", "keys:read", "leads:read"]))

    denied = await limited.post(f"/v1/api-keys/{powerful['id']}/rotate", json={})
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["scopes"] == ["leads:delete"]
    # The powerful key was not changed.
    assert (await Api(http, powerful["key"]).get("/v1/leads")).status_code == 200
    assert (await api.get(f"/v1/api-keys/{powerful['id']}")).json()[
        "previousSecretExpiresAt"
    ] is None

    allowed = await limited.post(f"/v1/api-keys/{modest['id']}/rotate", json={})
    assert allowed.status_code == 200


async def test_keys_of_other_workspaces_are_invisible(
    api: Api, http: httpx.AsyncClient, make_tenant: Any
) -> None:
    client_id = await new_client(api)
    key = await issued(api, client_id)
    other = Api(http, await (await make_tenant()).key())

    assert (await other.get(f"/v1/api-keys/{key['id']}")).status_code == 404
    assert (await other.post(f"/v1/api-keys/{key['id']}/rotate", json={})).status_code == 404
    assert (
        await other.delete(f"/v1/api-clients/{client_id}/api-keys/{key['id']}")
    ).status_code == 404
    assert (await issue(other, client_id)).status_code == 404
    assert (await Api(http, key["key"]).get("/v1/leads")).status_code == 200


async def test_key_management_needs_key_scopes(tenant: Tenant, http: httpx.AsyncClient) -> None:
    reader = Api(http, await tenant.key(["keys:read"]))
    assert (await reader.get(f"/v1/api-clients/{tenant.client_id}/api-keys")).status_code == 200
    denied = await issue(reader, tenant.client_id)
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["requiredScope"] == "keys:write"

    nobody = Api(http, await tenant.key(["leads:read"]))
    assert (await nobody.get(f"/v1/api-clients/{tenant.client_id}/api-keys")).status_code == 403


async def test_idempotent_key_creation_does_not_store_the_secret(
    api: Api, services: Services
) -> None:
    client_id = await new_client(api)
    response = await api.post(
        "/v1/api-keys",
        json={"clientId": client_id, "name": "idempotent", "scopes": ["leads:read"]},
        headers={"Idempotency-Key": f"create-{client_id}"},
    )
    assert response.status_code == 201
    secret = secret_of(response.json()["key"])
    async with services.db.session() as session:
        bodies = (await session.scalars(select(IdempotencyRecord.response_body))).all()
    assert not any(secret in (body or "") for body in bodies)

    repeat = await api.post(
        "/v1/api-keys",
        json={"clientId": client_id, "name": "idempotent", "scopes": ["leads:read"]},
        headers={"Idempotency-Key": f"create-{client_id}"},
    )
    assert repeat.status_code == 409
    assert repeat.json()["error"]["code"] == "CONFLICT"
    assert repeat.json()["error"]["details"]["resourceId"] == response.json()["id"]
    assert secret not in repeat.text


async def test_idempotent_rotation_does_not_store_or_replay_the_secret(
    api: Api, services: Services
) -> None:
    client_id = await new_client(api)
    key_id = (await issue(api, client_id)).json()["id"]
    rotated = await api.post(
        f"/v1/api-keys/{key_id}/rotate", json={}, headers={"Idempotency-Key": f"rot-{key_id}"}
    )
    assert rotated.status_code == 200
    secret = secret_of(rotated.json()["key"])
    async with services.db.session() as session:
        bodies = (await session.scalars(select(IdempotencyRecord.response_body))).all()
    assert not any(secret in (body or "") for body in bodies)

    repeat = await api.post(
        f"/v1/api-keys/{key_id}/rotate", json={}, headers={"Idempotency-Key": f"rot-{key_id}"}
    )
    assert repeat.status_code == 409
    assert repeat.json()["error"]["details"]["resourceId"] == key_id
