"""The sweeper: the database is the source of truth, the broker only says "work is ready".

Every ``HUBWIRE_SWEEPER_INTERVAL_SECONDS`` it looks for work the broker should be carrying
(undispatched events, due deliveries, queued or abandoned jobs) and sends the task again.
A broker restart, a Redis flush or a killed worker therefore delays work; it never loses it.
"""

from __future__ import annotations

from core.database import utcnow
from core.events.repository import EventRepository
from core.events.service import DISPATCH_TASK
from core.jobs.repository import JobRepository
from core.jobs.service import RUN_JOB_TASK
from core.tasks import enqueue_after_commit
from core.webhooks.repository import DeliveryRepository
from core.webhooks.service import DELIVER_TASK
from sync.runtime import WorkerRuntime


async def sweep(rt: WorkerRuntime) -> dict[str, int]:
    now = utcnow()
    async with rt.db.session() as session:
        found = {"events": 0, "deliveries": 0, "jobs": 0}
        if await EventRepository(session).has_undispatched():
            enqueue_after_commit(session, DISPATCH_TASK)
            found["events"] = 1
        if await DeliveryRepository(session).has_due(now):
            enqueue_after_commit(session, DELIVER_TASK)
            found["deliveries"] = 1
        for job_id in await JobRepository(session).needing_a_worker(now):
            enqueue_after_commit(session, RUN_JOB_TASK, job_id)
            found["jobs"] += 1
        return found
