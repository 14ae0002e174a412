from __future__ import annotations

import secrets
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from core.api_clients.schemas import ApiClientUpdate
from core.api_clients.service import ApiClientService
from core.api_keys.models import ApiKey
from core.api_keys.service import ApiKeyService
from core.auth.keys import SECRET_LENGTH, generate_key, parse_key
from core.auth.service import Authenticator
from core.container import Services
from core.database import utcnow
from core.errors import Forbidden, Unauthorized
from tests.conftest import Api, Tenant
from tests.support.http import client_from


def key_id_of(key: str) -> str:
    parsed = parse_key(key)
    assert parsed is not None
    return parsed.key_id


def assert_unauthorized(response: httpx.Response, message_part: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["X-Request-Id"]
    error = response.json()["error"]
    assert error["code"] == "UNAUTHORIZED"
    assert error["requestId"] == response.headers["X-Request-Id"]
    if message_part is not None:
        assert message_part in error["message"]


async def test_valid_key_is_accepted(api: Api) -> None:
    response = await api.get("/v1/leads")
    assert response.status_code == 200
    assert response.headers["X-Request-Id"].startswith("req_")


async def test_missing_or_non_bearer_credentials_are_401(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    key = await tenant.key()
    assert_unauthorized(await http.get("/v1/leads"), "Bearer")
    assert_unauthorized(await http.get("/v1/leads", headers={"Authorization": ""}))
    assert_unauthorized(await http.get("/v1/leads", headers={"Authorization": "Bearer"}))
    assert_unauthorized(await http.get("/v1/leads", headers={"Authorization": "Bearer   "}))
    assert_unauthorized(await http.get("/v1/leads", headers={"Authorization": f"Basic {key}"}))
    assert_unauthorized(await http.get("/v1/leads", headers={"Authorization": key}))
    # The scheme is case-insensitive.
    assert (
        await http.get("/v1/leads", headers={"Authorization": f"bearer {key}"})
    ).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "not-a-key",
        "hw_live_abc_def",
        "hw_prod_" + "a" * 16 + "_" + "b" * SECRET_LENGTH,
        "xx_live_" + "a" * 16 + "_" + "b" * SECRET_LENGTH,
        "hw_live_" + "a" * 15 + "_" + "b" * SECRET_LENGTH,
        "hw_live_" + "a" * 16 + "_" + "b" * (SECRET_LENGTH - 1),
        "hw_live_" + "a" * 16 + "_" + "b" * SECRET_LENGTH + "_extra",
    ],
)
async def test_malformed_keys_are_401(http: httpx.AsyncClient, token: str) -> None:
    response = await http.get("/v1/leads", headers={"Authorization": f"Bearer {token}"})
    assert_unauthorized(response, "malformed")


async def test_unknown_key_id_is_401(http: httpx.AsyncClient) -> None:
    unknown = generate_key("live").plaintext
    response = await http.get("/v1/leads", headers={"Authorization": f"Bearer {unknown}"})
    assert_unauthorized(response, "not valid")


async def test_wrong_secret_is_401(http: httpx.AsyncClient, tenant: Tenant) -> None:
    key = await tenant.key()
    prefix, secret = key.rsplit("_", 1)
    forged = f"{prefix}_{secret[::-1] if secret[::-1] != secret else 'x' * SECRET_LENGTH}"
    assert_unauthorized(
        await http.get("/v1/leads", headers={"Authorization": f"Bearer {forged}"}), "not valid"
    )
    other = generate_key("live").plaintext.rsplit("_", 1)[1]
    assert_unauthorized(
        await http.get("/v1/leads", headers={"Authorization": f"Bearer {prefix}_{other}"})
    )


@pytest.mark.parametrize(("issued", "presented"), [("live", "test"), ("test", "live")])
async def test_wrong_environment_prefix_is_401(
    http: httpx.AsyncClient, tenant: Tenant, issued: str, presented: str
) -> None:
    key = await tenant.key(environment=issued)
    assert key.startswith(f"hw_{issued}_")
    ok = await http.get("/v1/leads", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    swapped = key.replace(f"hw_{issued}_", f"hw_{presented}_", 1)
    response = await http.get("/v1/leads", headers={"Authorization": f"Bearer {swapped}"})
    assert_unauthorized(response, "not valid")


async def test_expired_key_is_401(
    http: httpx.AsyncClient, tenant: Tenant, services: Services
) -> None:
    key = await tenant.key(expires_in_days=1)
    api = Api(http, key)
    assert (await api.get("/v1/leads")).status_code == 200

    async with services.db.session() as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id_of(key))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert_unauthorized(await api.get("/v1/leads"), "expired")


async def test_revoked_key_is_401(
    http: httpx.AsyncClient, tenant: Tenant, services: Services
) -> None:
    key = await tenant.key()
    async with services.db.session() as session:
        await ApiKeyService().revoke(session, workspace_id=tenant.id, key_id=key_id_of(key))
    assert_unauthorized(await Api(http, key).get("/v1/leads"), "revoked")


async def test_ip_allowlist(app: FastAPI, tenant: Tenant) -> None:
    private_only = await tenant.key(ip_allowlist=["10.0.0.0/8"])
    loopback = await tenant.key(ip_allowlist=["127.0.0.0/8"])
    exact = await tenant.key(ip_allowlist=["192.0.2.1", "127.0.0.1/32"])
    async with client_from(app, "127.0.0.1") as http:
        forbidden = await Api(http, private_only).get("/v1/leads")
        assert forbidden.status_code == 403
        assert forbidden.json()["error"]["code"] == "FORBIDDEN"
        assert forbidden.json()["error"]["details"]["ip"] == "127.0.0.1"
        assert forbidden.headers["X-Request-Id"]

        assert (await Api(http, loopback).get("/v1/leads")).status_code == 200
        assert (await Api(http, exact).get("/v1/leads")).status_code == 200
    async with client_from(app, "127.0.0.2") as http:
        assert (await Api(http, loopback).get("/v1/leads")).status_code == 200
        assert (await Api(http, exact).get("/v1/leads")).status_code == 403
    async with client_from(app, "10.20.30.40") as http:
        assert (await Api(http, private_only).get("/v1/leads")).status_code == 200
        assert (await Api(http, loopback).get("/v1/leads")).status_code == 403


async def test_suspended_client_is_401(api: Api, http: httpx.AsyncClient) -> None:
    created = await api.post(
        "/v1/api-clients",
        json={"name": "Partner", "contactEmail": "p@example.com", "scopes": ["leads:read"]},
    )
    client_id = created.json()["id"]
    key = await api.post(
        "/v1/api-keys", json={"clientId": client_id, "name": "k", "scopes": ["leads:read"]}
    )
    partner = Api(http, key.json()["key"])
    assert (await partner.get("/v1/leads")).status_code == 200

    suspended = await api.patch(f"/v1/api-clients/{client_id}", json={"status": "suspended"})
    assert suspended.status_code == 200
    assert_unauthorized(await partner.get("/v1/leads"), "suspended")


async def test_scope_is_checked_after_authentication(
    tenant: Tenant, http: httpx.AsyncClient
) -> None:
    reader = Api(http, await tenant.key(["leads:read"]))
    assert (await reader.get("/v1/leads")).status_code == 200
    denied = await reader.post("/v1/leads", json={"name": "Ada"})
    assert denied.status_code == 403
    assert denied.json()["error"]["details"] == {"requiredScope": "leads:write"}


async def test_every_response_has_a_request_id(api: Api, http: httpx.AsyncClient) -> None:
    responses = [
        await api.get("/v1/leads"),
        await api.get("/v1/leads/lead_missing"),
        await api.post("/v1/leads", json={"email": "bad"}),
        await api.post(
            "/v1/leads", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        await http.get("/v1/leads"),
        await http.get("/v1/no-such-route"),
        await http.get("/openapi.json"),
    ]
    ids = [response.headers.get("X-Request-Id") for response in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)
    for response in responses:
        if response.status_code >= 400:
            assert response.json()["error"]["requestId"] == response.headers["X-Request-Id"]


async def test_incoming_request_id_is_echoed_when_valid(api: Api, http: httpx.AsyncClient) -> None:
    mine = f"trace-{secrets.token_hex(8)}:1.2"
    ok = await api.get("/v1/leads", headers={"X-Request-Id": mine})
    assert ok.headers["X-Request-Id"] == mine

    failed = await http.get("/v1/leads", headers={"X-Request-Id": mine})
    assert failed.status_code == 401
    assert failed.headers["X-Request-Id"] == mine
    assert failed.json()["error"]["requestId"] == mine

    for invalid in ("has spaces in it", "x" * 65, "semi;colon"):
        replaced = await api.get("/v1/leads", headers={"X-Request-Id": invalid})
        assert replaced.headers["X-Request-Id"].startswith("req_")


async def test_failed_authentication_is_rate_limited_per_ip(app: FastAPI, tenant: Tenant) -> None:
    valid = await tenant.key()
    forged = generate_key("live").plaintext
    async with client_from(app) as http:
        statuses = [
            (await http.get("/v1/leads", headers={"Authorization": f"Bearer {forged}"})).status_code
            for _ in range(61)
        ]
        # 30 failures a minute per address; 61 attempts overflow a fixed window whatever the
        # clock says.
        assert statuses[:30] == [401] * 30
        assert 429 in statuses
        limited = await http.get("/v1/leads", headers={"Authorization": f"Bearer {forged}"})
        if limited.status_code == 429:
            assert limited.json()["error"]["code"] == "RATE_LIMITED"
            assert int(limited.headers["Retry-After"]) >= 1
        # A valid key from the same address is not locked out by someone else's guessing.
        assert (await Api(http, valid).get("/v1/leads")).status_code == 200
    async with client_from(app) as elsewhere:
        response = await elsewhere.get("/v1/leads", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401


class TestAuthenticatorCache:
    """The per-process cache: stale for at most ``cache_seconds``, except for changes made
    in this process, which drop the entry once their transaction commits."""

    async def test_credentials_are_cached(self, services: Services, tenant: Tenant) -> None:
        authenticator = Authenticator(services.db, cache_seconds=60)
        key = await tenant.key(["leads:read"])
        principal = await authenticator.authenticate(f"Bearer {key}", "127.0.0.1")
        assert principal.id == key_id_of(key)
        assert principal.workspace_id == tenant.id
        assert principal.client_id == tenant.client_id
        assert principal.scopes == frozenset({"leads:read"})
        assert principal.tier == "enterprise"

        # A change made elsewhere (another process) is not seen until the entry expires...
        async with services.db.session() as session:
            await session.execute(
                update(ApiKey).where(ApiKey.id == principal.id).values(status="revoked")
            )
        assert (await authenticator.authenticate(f"Bearer {key}", None)).id == principal.id
        # ...or is invalidated.
        authenticator.invalidate(principal.id)
        with pytest.raises(Unauthorized):
            await authenticator.authenticate(f"Bearer {key}", None)

    async def test_a_cached_entry_still_checks_the_secret_and_ip(
        self, services: Services, tenant: Tenant
    ) -> None:
        authenticator = Authenticator(services.db, cache_seconds=60)
        key = await tenant.key(ip_allowlist=["127.0.0.0/8"])
        await authenticator.authenticate(f"Bearer {key}", "127.0.0.1")
        prefix = key.rsplit("_", 1)[0]
        with pytest.raises(Unauthorized):
            await authenticator.authenticate(f"Bearer {prefix}_{'z' * SECRET_LENGTH}", "127.0.0.1")
        with pytest.raises(Forbidden):
            await authenticator.authenticate(f"Bearer {key}", "192.0.2.7")
        with pytest.raises(Forbidden):
            await authenticator.authenticate(f"Bearer {key}", None)

    async def test_revoke_and_rotate_invalidate_after_commit(
        self, services: Services, tenant: Tenant
    ) -> None:
        authenticator = Authenticator(services.db, cache_seconds=60)
        keys = ApiKeyService(authenticator)
        revoked, rotated = await tenant.key(), await tenant.key()
        for key in (revoked, rotated):
            await authenticator.authenticate(f"Bearer {key}", None)

        # A rolled-back revocation leaves the cache (and the key) alone.
        with pytest.raises(RuntimeError):
            async with services.db.session() as session:
                await keys.revoke(session, workspace_id=tenant.id, key_id=key_id_of(revoked))
                raise RuntimeError("abort")
        await authenticator.authenticate(f"Bearer {revoked}", None)

        async with services.db.session() as session:
            await keys.revoke(session, workspace_id=tenant.id, key_id=key_id_of(revoked))
            await keys.rotate(
                session, workspace_id=tenant.id, key_id=key_id_of(rotated), grace_period_hours=0
            )
        with pytest.raises(Unauthorized, match="revoked"):
            await authenticator.authenticate(f"Bearer {revoked}", None)
        with pytest.raises(Unauthorized):
            await authenticator.authenticate(f"Bearer {rotated}", None)

    async def test_client_changes_invalidate_its_keys(
        self, services: Services, tenant: Tenant
    ) -> None:
        authenticator = Authenticator(services.db, cache_seconds=60)
        key = await tenant.key(["leads:read", "leads:write"])
        await authenticator.authenticate(f"Bearer {key}", None)
        clients = ApiClientService(authenticator)

        async with services.db.session() as session:
            await clients.update(
                session,
                workspace_id=tenant.id,
                client_id=tenant.client_id,
                data=ApiClientUpdate(scopes=["leads:read"], rate_limit_tier="premium"),
            )
        principal = await authenticator.authenticate(f"Bearer {key}", None)
        assert principal.scopes == frozenset({"leads:read"})

        async with services.db.session() as session:
            await clients.update(
                session,
                workspace_id=tenant.id,
                client_id=tenant.client_id,
                data=ApiClientUpdate(status="suspended"),
            )
        with pytest.raises(Unauthorized, match="suspended"):
            await authenticator.authenticate(f"Bearer {key}", None)

        async with services.db.session() as session:
            await clients.update(
                session,
                workspace_id=tenant.id,
                client_id=tenant.client_id,
                data=ApiClientUpdate(status="active"),
            )
        await authenticator.authenticate(f"Bearer {key}", None)
        async with services.db.session() as session:
            await clients.delete(session, workspace_id=tenant.id, client_id=tenant.client_id)
        with pytest.raises(Unauthorized):
            await authenticator.authenticate(f"Bearer {key}", None)

    async def test_a_tier_defaults_to_the_clients(self, services: Services, tenant: Tenant) -> None:
        authenticator = Authenticator(services.db, cache_seconds=0)
        own = await authenticator.authenticate(f"Bearer {await tenant.key(tier='premium')}", None)
        assert own.tier == "premium"
        inherited = await tenant.key(tier=None)
        assert (await authenticator.authenticate(f"Bearer {inherited}", None)).tier == "basic"
