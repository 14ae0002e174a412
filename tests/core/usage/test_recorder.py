from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from core.api_keys.models import ApiKey
from core.app import create_app
from core.auth.keys import parse_key
from core.container import Services
from core.database import Database, utcnow
from core.migrations.runner import upgrade_async
from core.settings import Settings
from core.usage.models import UsageLog
from core.usage.recorder import UsageEntry, UsageRecorder
from tests.conftest import Api, Tenant


def entry(**overrides: object) -> UsageEntry:
    fields: dict[str, object] = {
        "timestamp": utcnow(),
        "workspace_id": None,
        "client_id": None,
        "key_id": None,
        "request_id": "req_test",
        "method": "GET",
        "endpoint": "/v1/leads",
        "status_code": 200,
        "response_time_ms": 1.5,
        "ip": "127.0.0.1",
        "user_agent": "pytest",
        "request_bytes": 0,
        "response_bytes": 10,
        **overrides,
    }
    return UsageEntry(**fields)  # type: ignore[arg-type]


async def usage_rows(db: Database, workspace_id: str) -> list[UsageLog]:
    async with db.session() as session:
        rows = await session.scalars(
            select(UsageLog).where(UsageLog.workspace_id == workspace_id).order_by(UsageLog.id)
        )
        return list(rows.all())


async def count_rows(db: Database, request_id: str) -> int:
    async with db.session() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(UsageLog).where(UsageLog.request_id == request_id)
            )
            or 0
        )


@pytest.fixture
async def quiet_services(settings: Settings) -> AsyncIterator[Services]:
    """A second app's services on the same database whose recorder never flushes by itself
    (its background task is not started and its interval is an hour)."""
    quiet = Services.build(settings.model_copy(update={"usage_flush_seconds": 3600.0}))
    try:
        yield quiet
    finally:
        await quiet.close()


async def test_the_request_path_only_buffers(quiet_services: Services, tenant: Tenant) -> None:
    app = create_app(quiet_services.settings, services=quiet_services)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    key = await tenant.key()
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as http:
        api = Api(http, key)
        created = await api.post(
            "/v1/leads",
            json={"name": "Ada"},
            headers={"User-Agent": "usage-test/1.0", "X-Request-Id": "usage-create"},
        )
        assert created.status_code == 201
        lead_id = created.json()["id"]
        fetched = await api.get(f"/v1/leads/{lead_id}", headers={"User-Agent": "usage-test/1.0"})
        assert fetched.status_code == 200
        missing = await api.get("/v1/leads/lead_missing")
        assert missing.status_code == 404

        assert await usage_rows(quiet_services.db, tenant.id) == []
        assert await count_rows(quiet_services.db, "usage-create") == 0
        assert quiet_services.usage.pending == 3

    assert await quiet_services.usage.flush() == 3
    assert quiet_services.usage.pending == 0
    rows = await usage_rows(quiet_services.db, tenant.id)
    assert len(rows) == 3
    create, get, absent = rows

    parsed = parse_key(key)
    assert parsed is not None
    for row in rows:
        assert row.workspace_id == tenant.id
        assert row.client_id == tenant.client_id
        assert row.key_id == parsed.key_id
        assert row.ip == "127.0.0.1"
        assert row.response_time_ms > 0
        assert abs(row.timestamp - utcnow()) < timedelta(minutes=1)

    assert (create.method, create.endpoint, create.status_code) == ("POST", "/v1/leads", 201)
    assert create.request_id == "usage-create"
    assert create.user_agent == "usage-test/1.0"
    assert create.request_bytes == len(b'{"name":"Ada"}')
    assert create.response_bytes == len(created.content)

    # The route template, never the concrete id.
    assert (get.method, get.endpoint, get.status_code) == ("GET", "/v1/leads/{lead_id}", 200)
    assert lead_id not in get.endpoint
    assert get.request_bytes == 0
    assert get.response_bytes == len(fetched.content)
    assert get.request_id == fetched.headers["X-Request-Id"]

    assert (absent.endpoint, absent.status_code) == ("/v1/leads/{lead_id}", 404)
    assert absent.user_agent is not None and absent.user_agent.startswith("python-httpx/")


async def test_unauthenticated_requests_are_recorded_without_a_client(
    quiet_services: Services,
) -> None:
    app = create_app(quiet_services.settings, services=quiet_services)
    transport = httpx.ASGITransport(app=app, client=("127.9.9.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as http:
        response = await http.get("/v1/leads", headers={"X-Request-Id": "usage-anonymous-1"})
        assert response.status_code == 401
        unmatched = await http.get("/v1/nowhere", headers={"X-Request-Id": "usage-unmatched-1"})
        assert unmatched.status_code == 404
        await http.get("/openapi.json", headers={"X-Request-Id": "usage-untracked-1"})
        # A route outside the API reference (here the OAuth metadata) is not API usage.
        metadata = await http.get(
            "/.well-known/oauth-authorization-server",
            headers={"X-Request-Id": "usage-untracked-2"},
        )
        assert metadata.status_code == 200
    await quiet_services.usage.flush()
    async with quiet_services.db.session() as session:
        row = await session.scalar(
            select(UsageLog).where(UsageLog.request_id == "usage-anonymous-1")
        )
    assert row is not None
    assert (row.workspace_id, row.client_id, row.key_id) == (None, None, None)
    assert (row.method, row.endpoint, row.status_code, row.ip) == (
        "GET",
        "/v1/leads",
        401,
        "127.9.9.9",
    )
    async with quiet_services.db.session() as session:
        unmatched_row = await session.scalar(
            select(UsageLog).where(UsageLog.request_id == "usage-unmatched-1")
        )
    assert unmatched_row is not None
    assert (unmatched_row.endpoint, unmatched_row.status_code) == ("(unmatched)", 404)
    assert await count_rows(quiet_services.db, "usage-untracked-1") == 0
    assert await count_rows(quiet_services.db, "usage-untracked-2") == 0


async def test_flush_updates_last_used_only_forwards_and_not_for_server_errors(
    services: Services, tenant: Tenant
) -> None:
    key_id = parse_key(await tenant.key())
    assert key_id is not None
    recorder = UsageRecorder(services.db, flush_seconds=3600, batch_size=100, max_buffered=100)
    now = utcnow()
    common = {"workspace_id": tenant.id, "client_id": tenant.client_id, "key_id": key_id.key_id}

    recorder.record(entry(timestamp=now - timedelta(minutes=5), **common))
    recorder.record(entry(timestamp=now - timedelta(minutes=1), status_code=503, **common))
    assert await recorder.flush() == 2

    async def last_used() -> datetime | None:
        async with services.db.session() as session:
            return await session.scalar(
                select(ApiKey.last_used_at).where(ApiKey.id == key_id.key_id)
            )

    assert await last_used() == now - timedelta(minutes=5)

    recorder.record(entry(timestamp=now - timedelta(minutes=10), **common))
    await recorder.flush()
    assert await last_used() == now - timedelta(minutes=5)

    recorder.record(entry(timestamp=now, status_code=404, **common))
    await recorder.flush()
    assert await last_used() == now


async def test_buffer_is_bounded_and_counts_dropped_records(services: Services) -> None:
    recorder = UsageRecorder(services.db, flush_seconds=3600, batch_size=1000, max_buffered=5)
    for index in range(8):
        recorder.record(entry(request_id=f"bounded-{index}"))
    assert recorder.pending == 5
    assert recorder.dropped == 3
    # The oldest records were dropped.
    assert [e.request_id for e in recorder._buffer] == [f"bounded-{i}" for i in range(3, 8)]


async def test_records_survive_a_failed_flush(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'outage.db'}"
    db = Database(url)
    try:
        recorder = UsageRecorder(db, flush_seconds=3600, batch_size=1000, max_buffered=100)
        for index in range(3):
            recorder.record(entry(request_id=f"outage-{index}"))
        with pytest.raises(Exception, match="usage_logs"):
            await recorder.flush()  # the table does not exist yet
        assert recorder.pending == 3

        await upgrade_async(url)
        assert await recorder.flush() == 3
        async with db.session() as session:
            written = (
                await session.scalars(select(UsageLog.request_id).order_by(UsageLog.id))
            ).all()
        assert written == ["outage-0", "outage-1", "outage-2"]
    finally:
        await db.dispose()


async def test_a_failed_flush_keeps_the_newest_records_within_the_bound(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = UsageRecorder(services.db, flush_seconds=3600, batch_size=1000, max_buffered=5)
    for index in range(4):
        recorder.record(entry(request_id=f"requeue-old-{index}"))

    async def failing_write(batch: list[UsageEntry]) -> None:
        # Requests keep arriving while the database is down.
        for index in range(3):
            recorder.record(entry(request_id=f"requeue-new-{index}"))
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(recorder, "_write", failing_write)
    with pytest.raises(ConnectionError):
        await recorder.flush()

    assert recorder.pending == 5
    assert recorder.dropped == 2
    assert [e.request_id for e in recorder._buffer] == [
        "requeue-old-2",
        "requeue-old-3",
        "requeue-new-0",
        "requeue-new-1",
        "requeue-new-2",
    ]


async def test_background_task_flushes_a_full_batch_early_and_the_rest_on_stop(
    services: Services,
) -> None:
    recorder = UsageRecorder(services.db, flush_seconds=3600, batch_size=3, max_buffered=100)
    await recorder.start()
    try:
        for index in range(3):
            recorder.record(entry(request_id=f"batch-early-{index}"))
        # A full batch is written without waiting for the hour; the buffer empties when the
        # batch is taken, the row appears when its transaction commits.
        for _ in range(600):
            if await count_rows(services.db, "batch-early-0") == 1:
                break
            await asyncio.sleep(0.05)
        assert recorder.pending == 0
        assert await count_rows(services.db, "batch-early-0") == 1

        recorder.record(entry(request_id="batch-late"))
        await asyncio.sleep(0.05)
        assert await count_rows(services.db, "batch-late") == 0
    finally:
        await recorder.stop()
    assert recorder.pending == 0
    assert await count_rows(services.db, "batch-late") == 1


async def test_stop_ends_the_flusher_even_as_a_full_batch_wakes_it(services: Services) -> None:
    # The batch that fills the buffer wakes the flusher in the same moment stop() cancels it:
    # the cancellation must still end it (core.waiting), and stop() then writes the batch.
    recorder = UsageRecorder(services.db, flush_seconds=3600, batch_size=2, max_buffered=100)
    await recorder.start()
    await asyncio.sleep(0.01)
    recorder.record(entry(request_id="woken-at-stop-0"))
    recorder.record(entry(request_id="woken-at-stop-1"))
    await asyncio.wait_for(recorder.stop(), 10)
    assert recorder.pending == 0
    assert await count_rows(services.db, "woken-at-stop-1") == 1
