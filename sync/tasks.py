"""The Celery tasks. Each takes ids (or nothing), works from database state and is safe to
run twice: a message redelivered after a crash, or re-sent by the sweeper, does no harm."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Celery

from core.events.service import DISPATCH_TASK
from core.jobs.service import RUN_JOB_TASK, run_job
from core.webhooks.service import DELIVER_TASK, dispatch_pending_events
from sync.celery_app import SWEEP_TASK
from sync.delivery import deliver_due
from sync.runtime import WorkerRuntime
from sync.sweeper import sweep

logger = logging.getLogger(__name__)


def register_tasks(app: Celery, runtime: Callable[[], WorkerRuntime]) -> None:
    @app.task(name=DISPATCH_TASK, shared=False)
    def dispatch_events() -> int:
        """Fans undispatched events out into deliveries (then sends the deliver task)."""
        return runtime().run(lambda rt: dispatch_pending_events(rt.db, rt.settings))

    @app.task(name=DELIVER_TASK, shared=False)
    def deliver() -> int:
        """Runs one pipelined delivery loop until nothing is due."""
        return runtime().run(deliver_due)

    @app.task(name=RUN_JOB_TASK, shared=False)
    def run_job_task(job_id: str) -> None:
        runtime().run(lambda rt: run_job(rt.db, rt.secrets, rt.settings, job_id))

    @app.task(name=SWEEP_TASK, shared=False)
    def sweep_task() -> dict[str, int]:
        """Re-sends whatever pending work the broker may have lost."""
        return runtime().run(sweep)
