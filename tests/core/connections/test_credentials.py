"""The credential vault: tokens refreshed before expiry, once, under the connection's lock
(HubSpot sandbox with single-use refresh tokens); repeated failure marks the connection
`error` and emits `connection.error`."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy import select, update

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from core.connections.credentials import CredentialVault
from core.connections.errors import ConnectionNotFound, ConnectionUnavailable
from core.connections.models import Connection, SyncLog
from core.container import Services
from core.crypto import SecretBox
from core.database import Database
from core.events.models import Event
from core.locks import RedisLocks
from core.metrics.service import MetricsService, process_metrics
from core.plugins.manager import connector_registry
from tests.conftest import TEST_SECRET_KEY, Api, Tenant
from tests.core.connections.conftest import ProviderSandbox, paused_hubspot_connection
from tests.core.metrics.test_endpoints import parse, value
from tests.support.servers import redis_url_or_fail

pytestmark = pytest.mark.usefixtures("hubspot")
# The connections are paused (see `paused_hubspot_connection`): the vault serves paused
# connections like active ones.


@pytest.fixture
async def connection_id(services: Services, tenant: Tenant, hubspot: ProviderSandbox) -> str:
    return await paused_hubspot_connection(services, tenant, hubspot)


async def _row(services: Services, connection_id: str) -> Connection:
    async with services.db.session() as session:
        row = await session.get(Connection, connection_id)
    assert row is not None
    return row


def _tokens(services: Services, row: Connection) -> dict[str, str]:
    opened: dict[str, str] = json.loads(services.secrets.open(row.credentials_sealed or ""))
    return opened


APP = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


async def _expire(services: Services, connection_id: str, in_seconds: float = -1) -> None:
    """Makes the stored access token due for a refresh (within the margin, or past)."""
    async with services.db.session() as session:
        await session.execute(
            update(Connection)
            .where(Connection.id == connection_id)
            .values(token_expires_at=datetime.now(UTC) + timedelta(seconds=in_seconds))
        )


async def _check(context: Any) -> bool:
    """The context's token works against the sandbox (HubSpot's token introspection,
    authenticated with the app's credentials the context carries)."""
    async with httpx.AsyncClient(base_url=context.base_url) as client:
        response = await client.post(
            "/oauth/2026-03/token/introspect",
            data={
                "client_id": context.credentials["client_id"],
                "client_secret": context.credentials["client_secret"],
                "token": context.credentials["access_token"],
            },
        )
    return bool(response.json()["active"])


@pytest.fixture
async def redis_locks() -> AsyncIterator[list[RedisLocks]]:
    """Two workers' lock providers: separate Redis clients, one shared key space."""
    url = redis_url_or_fail()
    prefix = f"hwtest:{secrets.token_hex(4)}:"
    clients = [aioredis.from_url(url), aioredis.from_url(url)]
    try:
        yield [RedisLocks(client, prefix) for client in clients]
    finally:
        for client in clients:
            await client.aclose()


async def test_a_fresh_token_is_used_as_is(
    api: Api, services: Services, connection_id: str, hubspot: ProviderSandbox
) -> None:
    before = await hubspot.stats()
    context = await services.vault.context(connection_id)
    assert context.connection_id == connection_id and context.base_url == hubspot.url
    stored = _tokens(services, await _row(services, connection_id))
    # The context adds Hubwire's app (for HubSpot's introspection); the row never holds it.
    assert context.credentials == {**APP, **stored}
    assert "client_secret" not in stored
    assert await _check(context)
    assert (await hubspot.stats())["refreshes"] == before["refreshes"]


async def test_two_workers_refresh_a_single_use_token_once(
    api: Api,
    services: Services,
    connection_id: str,
    hubspot: ProviderSandbox,
    redis_locks: list[RedisLocks],
) -> None:
    old = _tokens(services, await _row(services, connection_id))
    # Inside the refresh margin (300 s), not yet expired: both workers want to refresh.
    await _expire(services, connection_id, in_seconds=60)
    before = (await hubspot.stats())["refreshes"]
    databases = [Database(services.settings.database_url) for _ in redis_locks]
    workers = [
        CredentialVault(db, SecretBox(TEST_SECRET_KEY), services.settings, locks)
        for db, locks in zip(databases, redis_locks, strict=True)
    ]
    try:
        contexts = await asyncio.gather(*(w.context(connection_id) for w in workers))
    finally:
        for db in databases:
            await db.dispose()
    assert (await hubspot.stats())["refreshes"] == before + 1
    first, second = (c.credentials for c in contexts)
    assert first == second
    assert first["access_token"] != old["access_token"]
    assert first["refresh_token"] != old["refresh_token"]  # the sandbox rotated it
    row = await _row(services, connection_id)
    assert {**APP, **_tokens(services, row)} == dict(first)
    assert row.token_expires_at is not None
    assert row.token_expires_at > datetime.now(UTC) + timedelta(minutes=20)
    assert row.refresh_failures == 0 and row.status == "paused"
    assert all([await _check(c) for c in contexts])
    # The spent refresh token is really gone: using it again is refused by the provider.
    async with httpx.AsyncClient() as client:
        info = await client.post(
            f"{hubspot.url}/oauth/2026-03/token/introspect",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "token": old["refresh_token"],
            },
        )
    assert info.json() == {"active": False}


async def test_a_rejected_token_is_refreshed_unless_already_replaced(
    api: Api, services: Services, connection_id: str, hubspot: ProviderSandbox
) -> None:
    rejected = (await services.vault.context(connection_id)).credentials["access_token"]
    before = (await hubspot.stats())["refreshes"]
    await asyncio.gather(
        services.vault.refresh_after_rejection(connection_id, rejected),
        services.vault.refresh_after_rejection(connection_id, rejected),
    )
    assert (await hubspot.stats())["refreshes"] == before + 1
    fresh = (await services.vault.context(connection_id)).credentials["access_token"]
    assert fresh != rejected
    # A late report about the old token changes nothing.
    await services.vault.refresh_after_rejection(connection_id, rejected)
    assert (await hubspot.stats())["refreshes"] == before + 1
    assert (await services.vault.context(connection_id)).credentials["access_token"] == fresh


def _refresh_failures() -> float:
    samples = parse(process_metrics().decode())
    return value(samples, "hubwire_token_refresh_failures_total", connector="hubspot")


async def test_a_revoked_grant_marks_the_connection_reauthorization_required(
    api: Api, services: Services, connection_id: str, hubspot: ProviderSandbox
) -> None:
    refresh = _tokens(services, await _row(services, connection_id))["refresh_token"]
    async with httpx.AsyncClient() as client:
        revoked = await client.post(
            f"{hubspot.url}/oauth/2026-03/token/revoke",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "token": refresh,
            },
        )
    assert revoked.status_code == 200
    await _expire(services, connection_id)
    failures_before = _refresh_failures()
    # `invalid_grant` cannot start working again: no retries, the user must consent again.
    with pytest.raises(ConnectionUnavailable) as unavailable:
        await services.vault.context(connection_id)
    assert unavailable.value.status == 409
    row = await _row(services, connection_id)
    assert row.status == "reauthorization_required" and row.refresh_failures == 1
    # /metrics: the failure counted, and the connection in the state gauge.
    assert _refresh_failures() - failures_before == 1
    state = parse((await MetricsService(services.db, cache_seconds=0).exposition()).decode())
    assert (
        value(
            state,
            "hubwire_connections_state",
            connector="hubspot",
            status="reauthorization_required",
        )
        >= 1
    )
    assert row.last_error is not None and "Token refresh failed" in row.last_error

    shown = (await api.get(f"/v1/connections/{connection_id}")).json()
    assert shown["status"] == "reauthorization_required"
    assert "Token refresh failed" in shown["lastError"]
    async with services.db.session() as session:
        events = (
            await session.scalars(
                select(Event).where(
                    Event.type == "connection.error", Event.data["id"].as_string() == connection_id
                )
            )
        ).all()
        logs = (
            await session.scalars(
                select(SyncLog)
                .where(SyncLog.connection_id == connection_id, SyncLog.kind == "auth")
                .order_by(SyncLog.created_at)
            )
        ).all()
    assert len(events) == 1
    assert events[0].data["status"] == "reauthorization_required"
    assert "access_token" not in json.dumps(events[0].data)
    assert refresh not in json.dumps(events[0].data)
    assert [log.level for log in logs] == ["error"]

    # From now on nothing is tried: the user must connect again.
    before = await hubspot.stats()
    with pytest.raises(ConnectionUnavailable):
        await services.vault.context(connection_id)
    assert await hubspot.stats() == before
    tested = await api.post(f"/v1/connections/{connection_id}/test")
    assert tested.status_code == 409
    assert (await api.post(f"/v1/connections/{connection_id}/sync")).status_code == 409


async def test_a_success_resets_the_failure_count(
    api: Api, services: Services, connection_id: str, hubspot: ProviderSandbox
) -> None:
    async with services.db.session() as session:
        await session.execute(
            update(Connection).where(Connection.id == connection_id).values(refresh_failures=2)
        )
    await _expire(services, connection_id)
    await services.vault.context(connection_id)
    row = await _row(services, connection_id)
    assert row.refresh_failures == 0 and row.last_error is None


async def test_pending_and_missing_connections_have_no_context(
    api: Api, services: Services
) -> None:
    created = await api.post("/v1/connections", json={"connector": "hubspot"})
    with pytest.raises(ConnectionUnavailable) as pending:
        await services.vault.context(created.json()["id"])
    assert pending.value.connection_status == "pending"
    with pytest.raises(ConnectionNotFound):
        await services.vault.context("conn_nosuch")


async def test_the_connector_is_the_real_hubspot_one() -> None:
    # These tests drive the HubSpot connector itself, not a stand-in.
    assert type(connector_registry()["hubspot"]).__name__ == "HubSpotConnector"


async def test_the_test_endpoint_refreshes_a_token_the_provider_stopped_accepting(
    api: Api, services: Services, connection_id: str, hubspot: ProviderSandbox
) -> None:
    url = f"/v1/connections/{connection_id}/test"
    assert (await api.post(url)).json()["ok"] is True
    before = (await hubspot.stats())["refreshes"]
    # The provider drops the access token long before its stated expiry (HubSpot does when
    # an app is reinstalled): the check is refused, the vault refreshes, the check passes.
    token = _tokens(services, await _row(services, connection_id))["access_token"]
    hubspot.app.state.sandbox.store.access_tokens.pop(token)
    result = (await api.post(url)).json()
    assert result["ok"] is True and result["account"] == "62515"
    assert (await hubspot.stats())["refreshes"] == before + 1
    assert _tokens(services, await _row(services, connection_id))["access_token"] != token
    logs = (await api.get(f"/v1/connections/{connection_id}/logs", params={"kind": "test"})).json()
    assert [log["providerCalls"] for log in logs["data"]] == [2, 1]
