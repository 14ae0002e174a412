"""Retention deletes what is past its days, in batches, and nothing else: not recent rows,
not undispatched events, not unfinished jobs, not the latest attempt of a delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.connections.models import Connection, InboundWebhookEvent, SyncLog
from core.database import Database, utcnow
from core.events.models import Event
from core.jobs.models import Job
from core.migrations.runner import upgrade_async
from core.retention.service import RetentionPolicy, RetentionService
from core.usage.models import UsageLog
from core.webhooks.models import Delivery, DeliveryAttempt
from core.workspaces.service import workspaces
from tests.support.servers import postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
async def db(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[Database]:
    """A database of its own: no app and no relay touching the rows under test."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'retention.db'}"
        await upgrade_async(url)
        database = Database(url)
        yield database
        await database.dispose()
        return
    async with postgres_database() as url:
        await upgrade_async(url)
        database = Database(url)
        yield database
        await database.dispose()


async def _ids(db: Database, column: Any) -> set[Any]:
    async with db.session() as session:
        return set((await session.scalars(select(column))).all())


async def test_retention_drops_old_rows_and_keeps_the_rest(db: Database) -> None:
    now = utcnow()
    old, recent = now - timedelta(days=91), now - timedelta(days=89)
    async with db.session() as session:
        workspace = await workspaces.create(session, slug="retained", contact_email="o@x.io")
        ws = workspace.id
        session.add_all(
            [
                # Events: 3 old and dispatched (dropped), old but undispatched, recent.
                *(
                    Event(
                        id=f"evt_old{i}",
                        workspace_id=ws,
                        type="lead.created",
                        data={},
                        occurred_at=old,
                        dispatched_at=old,
                    )
                    for i in range(3)
                ),
                Event(
                    id="evt_pending",
                    workspace_id=ws,
                    type="lead.created",
                    data={},
                    occurred_at=old,
                    dispatched_at=None,
                ),
                Event(
                    id="evt_new",
                    workspace_id=ws,
                    type="lead.created",
                    data={},
                    occurred_at=recent,
                    dispatched_at=recent,
                ),
                Delivery(
                    id="msg_1",
                    workspace_id=ws,
                    event_type="lead.created",
                    url="https://example.com/h",
                    payload="{}",
                    status="dead",
                    attempts=3,
                ),
                Job(id="job_done", workspace_id=ws, type="t", status="succeeded", updated_at=old),
                Job(id="job_failed", workspace_id=ws, type="t", status="failed", updated_at=old),
                Job(id="job_stuck", workspace_id=ws, type="t", status="running", updated_at=old),
                Job(id="job_new", workspace_id=ws, type="t", status="succeeded", updated_at=recent),
                Connection(id="conn_1", workspace_id=ws, connector="hubspot", auth_type="oauth2"),
            ]
        )
        await session.flush()
        session.add_all(
            [
                # Attempts 1 and 2 are old and superseded (dropped); 3 is old but the latest.
                *(
                    DeliveryAttempt(
                        delivery_id="msg_1",
                        number=n,
                        status_code=500,
                        latency_ms=5,
                        attempted_at=old,
                    )
                    for n in (1, 2, 3)
                ),
                SyncLog(
                    id="log_old",
                    connection_id="conn_1",
                    workspace_id=ws,
                    kind="push",
                    created_at=old,
                ),
                SyncLog(
                    id="log_new",
                    connection_id="conn_1",
                    workspace_id=ws,
                    kind="push",
                    created_at=recent,
                ),
                *(
                    UsageLog(
                        timestamp=stamp,
                        workspace_id=ws,
                        request_id=f"req_{n}",
                        method="GET",
                        endpoint="/v1/leads",
                        status_code=200,
                        response_time_ms=1.0,
                    )
                    for n, stamp in enumerate([old, old, recent])
                ),
            ]
        )

    # A batch of 2 makes the three old events take two batches.
    service = RetentionService(db, RetentionPolicy(days=90, usage_days=90, batch_size=2))
    removed = await service.purge()

    assert removed == {
        "events": 3,
        "deliveryAttempts": 2,
        "jobs": 2,
        "connectionLogs": 1,
        "usageLogs": 2,
        "inboundEventIds": 0,
    }
    assert await _ids(db, Event.id) == {"evt_pending", "evt_new"}
    assert await _ids(db, DeliveryAttempt.number) == {3}
    assert await _ids(db, Delivery.id) == {"msg_1"}
    assert await _ids(db, Job.id) == {"job_stuck", "job_new"}
    assert await _ids(db, SyncLog.id) == {"log_new"}
    assert await _ids(db, UsageLog.request_id) == {"req_2"}
    # A second pass finds nothing left to drop.
    assert set((await service.purge()).values()) == {0}


async def test_zero_days_keeps_everything(db: Database) -> None:
    old = utcnow() - timedelta(days=3650)
    async with db.session() as session:
        workspace = await workspaces.create(session, slug="forever", contact_email="o@x.io")
        session.add(
            Event(
                id="evt_ancient",
                workspace_id=workspace.id,
                type="lead.created",
                data={},
                occurred_at=old,
                dispatched_at=old,
            )
        )
    removed = await RetentionService(db, RetentionPolicy(days=0, usage_days=0)).purge()
    assert set(removed.values()) == {0}
    assert await _ids(db, Event.id) == {"evt_ancient"}


async def test_inbound_event_ids_are_kept_a_week_whatever_the_days(db: Database) -> None:
    now = utcnow()
    async with db.session() as session:
        session.add_all(
            [
                InboundWebhookEvent(
                    connector="hubspot",
                    account_id="1",
                    event_id="old",
                    received_at=now - timedelta(days=8),
                ),
                InboundWebhookEvent(
                    connector="hubspot",
                    account_id="1",
                    event_id="recent",
                    received_at=now - timedelta(days=6),
                ),
            ]
        )
    # Retention of the rest off (0 days): the ids still go after their week.
    removed = await RetentionService(db, RetentionPolicy(days=0, usage_days=0)).purge(now)
    assert removed["inboundEventIds"] == 1
    assert await _ids(db, InboundWebhookEvent.event_id) == {"recent"}
