"""Events become push work for the connections whose routes match (sync.pipeline.fanout)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.connections.models import Connection, SyncItem
from core.container import Services
from core.database import utcnow
from core.events.models import Event
from sync.pipeline.fanout import queue_push_work
from tests.conftest import Tenant

ROUTES = {"lead.created": ["contact"], "lead.converted": ["contact", "deal"]}


async def _connection(services: Services, tenant: Tenant, status: str, **extra: object) -> str:
    async with services.db.session() as session:
        connection = Connection(
            workspace_id=tenant.id,
            connector="example_crm",
            status=status,
            auth_type="api_key",
            push_routes=ROUTES,
            activated_at=utcnow() - timedelta(minutes=1),
            **extra,
        )
        session.add(connection)
        await session.flush()
        return connection.id


async def _fan_out(services: Services, tenant: Tenant, *types: str) -> tuple[int, dict[str, None]]:
    async with services.db.session() as session:
        events = [
            Event(workspace_id=tenant.id, type=t, data={"id": "lead_1"}, occurred_at=utcnow())
            for t in types
        ]
        session.add_all(events)
        await session.flush()
        written = await queue_push_work(session, events, utcnow())
        pending = dict(session.info.get("pending_tasks", {}))
        # Nothing is sent from here (the test session's commit would): read the buffer.
        session.info.pop("pending_tasks", None)
        return written, {t.args[0]: None for t in pending}


async def _items(services: Services, connection_id: str) -> list[tuple[str, str]]:
    async with services.db.session() as session:
        rows = await session.scalars(
            select(SyncItem).where(SyncItem.connection_id == connection_id).order_by(SyncItem.id)
        )
        return [(r.object_type, r.hubwire_id) for r in rows]


async def test_an_event_becomes_one_item_per_routed_object(
    services: Services, tenant: Tenant
) -> None:
    connection_id = await _connection(services, tenant, "active")
    written, woken = await _fan_out(services, tenant, "lead.converted", "call.ended")
    assert written == 2
    assert await _items(services, connection_id) == [("contact", "lead_1"), ("deal", "lead_1")]
    assert connection_id in woken


async def test_paused_connections_queue_work_without_waking_the_engine(
    services: Services, tenant: Tenant
) -> None:
    connection_id = await _connection(services, tenant, "paused")
    _, woken = await _fan_out(services, tenant, "lead.created")
    assert await _items(services, connection_id) == [("contact", "lead_1")]
    assert connection_id not in woken


async def test_pending_connections_and_older_events_get_nothing(
    services: Services, tenant: Tenant
) -> None:
    pending = await _connection(services, tenant, "pending")
    later = await _connection(services, tenant, "active")
    async with services.db.session() as session:
        row = await session.get(Connection, later)
        assert row is not None
        row.activated_at = utcnow() + timedelta(minutes=5)
    await _fan_out(services, tenant, "lead.created")
    assert await _items(services, pending) == []
    assert await _items(services, later) == []


async def test_a_repeated_fan_out_writes_nothing_twice(services: Services, tenant: Tenant) -> None:
    connection_id = await _connection(services, tenant, "active")
    async with services.db.session() as session:
        event = Event(workspace_id=tenant.id, type="lead.created", data={"id": "lead_2"})
        session.add(event)
        await session.flush()
        assert await queue_push_work(session, [event], utcnow()) == 1
        await queue_push_work(session, [event], utcnow())
        session.info.pop("pending_tasks", None)
    assert await _items(services, connection_id) == [("contact", "lead_2")]
