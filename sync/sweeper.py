"""The sweeper: the database is the source of truth, the broker only says "work is ready".

Every ``HUBWIRE_SWEEPER_INTERVAL_SECONDS`` it looks for work the broker should be carrying
(undispatched events, due deliveries, queued or abandoned jobs, connections with pending push
items) and sends the task again. It is also the pull schedule: an active connection whose
last pull is older than ``HUBWIRE_SYNC_PULL_INTERVAL_SECONDS`` gets a pull task. And it is
the speed-to-lead clock: leads past their response target with no response get their one
``lead.response_overdue`` (``core.response_targets``), marked in the same transaction.
A broker restart, a Redis flush or a killed worker therefore delays work; it never loses it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.repository import ConnectionRepository
from core.database import utcnow
from core.jobs.repository import JobRepository
from core.plugins.manager import ConnectorConfigError, connector_registry
from core.response_targets.service import response_targets
from core.tasks import (
    DELIVER_TASK,
    PULL_TASK,
    PUSH_TASK,
    RELAY_EVENTS_TASK,
    RUN_JOB_TASK,
    enqueue_after_commit,
)
from sync.engine.common import pulls
from sync.pipeline.repository import DeliveryQueueRepository, OutboxRepository
from sync.runtime import WorkerRuntime

logger = logging.getLogger(__name__)


async def sweep(rt: WorkerRuntime) -> dict[str, int]:
    now = utcnow()
    found = {"events": 0, "deliveries": 0, "jobs": 0, "pushes": 0, "pulls": 0}
    # Read before any transaction: building the plugin registry may import modules, and a
    # write transaction held meanwhile would make every other SQLite writer wait.
    interval = rt.settings.sync_pull_interval_seconds
    pulling = _pulling_connectors()
    # The overdue marks are the sweep's only writes: their own short transaction, whose
    # events the relay (asked for below) picks up.
    async with rt.db.session() as session:
        found["overdue"] = await response_targets.emit_overdue(session, now)
    async with rt.db.session() as session:
        if await OutboxRepository(session).has_undispatched():
            enqueue_after_commit(session, RELAY_EVENTS_TASK)
            found["events"] = 1
        if await DeliveryQueueRepository(session).has_due(now):
            enqueue_after_commit(session, DELIVER_TASK)
            found["deliveries"] = 1
        for job_id in await JobRepository(session).needing_a_worker(now):
            enqueue_after_commit(session, RUN_JOB_TASK, job_id)
            found["jobs"] += 1
        for connection_id in await ConnectionRepository(session).with_pending_push(now):
            enqueue_after_commit(session, PUSH_TASK, connection_id)
            found["pushes"] += 1
        if pulling:
            for connection_id in await connections_to_pull(session, now, interval, pulling):
                enqueue_after_commit(session, PULL_TASK, connection_id)
                found["pulls"] += 1
    return found


def _pulling_connectors() -> set[str]:
    """The installed connectors with an object that pulls."""
    try:
        registry = connector_registry()
    except ConnectorConfigError:
        logger.exception("no scheduled pulls: the connectors do not load")
        return set()
    return {
        slug
        for slug, connector in registry.items()
        if any(pulls(o) for o in connector.manifest.objects)
    }


async def connections_to_pull(
    session: AsyncSession, now: datetime, interval: float, pulling: set[str]
) -> list[str]:
    """Active connections of the ``pulling`` connectors whose ``pull_again_at`` has come, and
    with a schedule (``interval`` > 0) those whose last pull is older than ``interval``
    seconds or that never pulled. A pull that keeps failing is thus retried once per
    interval."""
    scheduled = interval > 0
    cutoff = now - timedelta(seconds=interval)
    return [
        connection_id
        for connection_id, last, again in await ConnectionRepository(session).last_pulls(pulling)
        if (again is not None and again <= now) or (scheduled and (last is None or last <= cutoff))
    ]
