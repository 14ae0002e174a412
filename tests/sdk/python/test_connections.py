"""The Python SDK's ``connections`` namespace against a live Hubwire server, with the
example API-key connector (no OAuth consent involved)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hubwire import AsyncHubwire, ConflictError, Hubwire, NotFoundError, ValidationError
from hubwire.models import (
    ConnectionCreated,
    ConnectionMetrics,
    ConnectionOut,
    ConnectionPeriodStats,
    ConnectionsPeriodStats,
    ConnectionTestOut,
    JobQueued,
    SyncLogOut,
)

from tests.conftest import Tenant
from tests.connectors import example

pytestmark = pytest.mark.usefixtures("example_crm")


async def test_connection_round_trip(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()
    today = datetime.now(UTC).date()

    def scenario() -> None:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            created = client.connections.create(
                "example_crm",
                name="Example",
                api_key=example.API_KEY,
                settings={"region": "eu"},
                idempotency_key="connect-1",
            )
            assert isinstance(created, ConnectionCreated)
            assert created.id.startswith("conn_") and created.status == "active"
            assert created.account_id == "Sandbox Ltd" and created.authorize_url is None
            assert created.concurrency_limit == 2
            assert created.settings.to_dict() == {"region": "eu"}
            again = client.connections.create(
                "example_crm",
                name="Example",
                api_key=example.API_KEY,
                settings={"region": "eu"},
                idempotency_key="connect-1",
            )
            assert again.id == created.id
            conn_id = created.id

            fetched = client.connections.get(conn_id)
            assert isinstance(fetched, ConnectionOut) and fetched.name == "Example"
            assert [c.id for c in client.connections.list(connector="example_crm")] == [conn_id]
            assert [c.id for c in client.connections.list(status="active")] == [conn_id]
            assert list(client.connections.list(connector="hubspot")) == []

            checked = client.connections.test(conn_id)
            assert isinstance(checked, ConnectionTestOut)
            assert checked.ok is True and checked.account == "Sandbox Ltd"

            paused = client.connections.pause(conn_id)
            assert paused.status == "paused"
            assert [c.id for c in client.connections.list(status="paused")] == [conn_id]
            with pytest.raises(ConflictError) as refused:
                client.connections.sync(conn_id)
            assert refused.value.status == 409
            assert client.connections.resume(conn_id).status == "active"

            updated = client.connections.update(
                conn_id,
                name="Renamed",
                concurrency_limit=4,
                field_mapping={"company": "company_name"},
            )
            assert updated.name == "Renamed" and updated.concurrency_limit == 4
            assert updated.field_mapping.to_dict() == {"company": "company_name"}
            assert updated.settings.to_dict() == {"region": "eu"}

            queued = client.connections.sync(conn_id)
            assert isinstance(queued, JobQueued) and queued.job_id.startswith("job_")
            # The job runs in the background (the live server hands it to the session's
            # worker through the database): the SDK's part is the job to poll.
            job = client.jobs.get(queued.job_id)
            assert job.type_ == "connection.sync"
            assert job.input_.to_dict() == {"connectionId": conn_id}
            backfill = client.jobs.get(client.connections.sync(conn_id, full=True).job_id)
            assert backfill.input_.to_dict() == {"connectionId": conn_id, "full": True}

            tests = list(client.connections.logs(conn_id, kind="test"))
            assert all(isinstance(log, SyncLogOut) for log in tests)
            assert [(log.kind, log.level, log.message) for log in tests] == [
                ("test", "info", "test passed: ok")
            ]
            auth = list(client.connections.logs(conn_id, kind="auth", page_size=1))
            assert [log.message for log in auth] == ["connected"]
            assert len(list(client.connections.logs(conn_id, page_size=1))) >= 2

            metrics = client.connections.metrics(conn_id)
            assert isinstance(metrics, ConnectionMetrics)
            assert metrics.provider_calls >= 1 and metrics.failed == 0

            stats = client.connections.period_stats(conn_id, today, today)
            assert isinstance(stats, ConnectionPeriodStats)
            assert stats.connection_id == conn_id
            assert [d.date for d in stats.days] == [today]
            assert stats.totals.provider_calls >= 1
            workspace = client.connections.workspace_period_stats(
                (today - timedelta(days=1)).isoformat(), today.isoformat()
            )
            assert isinstance(workspace, ConnectionsPeriodStats)
            assert workspace.connections == 1 and len(workspace.days) == 2
            assert [c.connection_id for c in workspace.per_connection] == [conn_id]
            assert [c.name for c in workspace.per_connection] == ["Renamed"]

            client.connections.delete(conn_id)
            with pytest.raises(NotFoundError):
                client.connections.get(conn_id)
            with pytest.raises(NotFoundError):
                client.connections.delete(conn_id)
            assert list(client.connections.list()) == []

    await asyncio.to_thread(scenario)


async def test_a_refused_key_is_a_validation_error(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()

    def scenario() -> None:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            with pytest.raises(ValidationError) as refused:
                client.connections.create("example_crm", api_key="wrong-key")
            assert refused.value.status == 422 and "refused" in refused.value.message
            with pytest.raises(ValidationError):
                client.connections.create("nosuch", api_key="k")
            assert list(client.connections.list()) == []
            # A key connection is not reconnected through a consent: a new key makes a new one.
            made = client.connections.create("example_crm", api_key=example.API_KEY)
            with pytest.raises(ValidationError) as keyed:
                client.connections.reconnect(made.id, redirect_url="https://app.example/back")
            assert "new key" in keyed.value.message

    await asyncio.to_thread(scenario)


async def test_async_connections(sdk_server: str, tenant: Tenant) -> None:
    key = await tenant.key()
    today = datetime.now(UTC).date()
    async with AsyncHubwire(api_key=key, base_url=sdk_server) as client:
        created = await client.connections.create(
            "example_crm", api_key=example.API_KEY, concurrency_limit=3
        )
        assert created.status == "active" and created.concurrency_limit == 3
        assert created.name is None and created.authorize_url is None
        ids = [c.id async for c in client.connections.list(connector="example_crm")]
        assert ids == [created.id]
        assert (await client.connections.get(created.id)).account_id == "Sandbox Ltd"
        assert (await client.connections.test(created.id)).ok is True
        assert (await client.connections.pause(created.id)).status == "paused"
        assert (await client.connections.resume(created.id)).status == "active"
        renamed = await client.connections.update(created.id, {"name": "Async", "settings": {}})
        assert renamed.name == "Async"
        queued = await client.connections.sync(created.id)
        assert (await client.jobs.get(queued.job_id)).type_ == "connection.sync"
        kinds = [log.kind async for log in client.connections.logs(created.id, kind="test")]
        assert kinds == ["test"]
        assert (await client.connections.metrics(created.id)).provider_calls >= 1
        stats = await client.connections.period_stats(created.id, today.isoformat(), today)
        assert stats.connection_id == created.id and len(stats.days) == 1
        workspace = await client.connections.workspace_period_stats(today, today)
        assert workspace.connections == 1
        await client.connections.delete(created.id)
        with pytest.raises(NotFoundError):
            await client.connections.get(created.id)
