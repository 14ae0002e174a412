"""Events become connector push work: the sync side of the event fan-out.

Runs inside the dispatcher's transaction (``core.webhooks.service.dispatch_pending_events``),
so push items are written exactly when the event is marked dispatched: a crash in between
repeats both, and the unique (connection, object, event) key makes the repeat a no-op."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, SyncItem
from core.connections.tasks import PUSH_TASK
from core.database import insert_ignoring_conflicts
from core.events.models import EventFields
from core.tasks import enqueue_after_commit

# Paused connections still queue work (nothing is lost while paused); resuming pushes it.
QUEUEING_STATUSES = ("active", "paused")


async def _connections_in(session: AsyncSession, workspace_ids: set[str]) -> list[Connection]:
    rows = await session.scalars(
        select(Connection).where(
            Connection.workspace_id.in_(workspace_ids),
            Connection.status.in_(QUEUEING_STATUSES),
        )
    )
    return list(rows)


async def queue_push_work(
    session: AsyncSession, events: Sequence[EventFields], now: datetime
) -> int:
    """Adds a push item per (connection, provider object) each event routes to; sends
    ``PUSH_TASK`` for active connections after the commit. Returns the items written."""
    if not events:
        return 0
    by_workspace: dict[str, list[Connection]] = defaultdict(list)
    for connection in await _connections_in(session, {e.workspace_id for e in events}):
        if connection.push_routes:
            by_workspace[connection.workspace_id].append(connection)
    if not by_workspace:
        return 0
    rows: list[dict[str, Any]] = []
    to_wake: set[str] = set()
    for event in events:
        hubwire_id = event.data.get("id") if isinstance(event.data, dict) else None
        if not isinstance(hubwire_id, str):
            continue
        for connection in by_workspace.get(event.workspace_id, ()):
            # Like webhooks: a connection syncs what happens after it was connected.
            if connection.activated_at is None or connection.activated_at > event.occurred_at:
                continue
            for object_type in connection.push_routes.get(event.type, ()):
                rows.append(
                    {
                        "connection_id": connection.id,
                        "object_type": object_type,
                        "hubwire_id": hubwire_id,
                        "event_id": event.id,
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
                if connection.status == "active":
                    to_wake.add(connection.id)
    if rows:
        stmt = insert_ignoring_conflicts(
            session, SyncItem, ["connection_id", "object_type", "event_id"]
        )
        await session.execute(stmt, rows)
    for connection_id in sorted(to_wake):
        enqueue_after_commit(session, PUSH_TASK, connection_id)
    return len(rows)
