"""The Celery tasks: an implementation for each name of core's catalog (``core.tasks``).
Each takes ids (or nothing), works from database state and is safe to run twice: a message
redelivered after a crash, or re-sent by the sweeper, does no harm."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery

from core.errors import HubwireError
from core.jobs.handlers import JobContext, register_handler
from core.jobs.service import run_job
from core.tasks import (
    DELIVER_TASK,
    PULL_TASK,
    PUSH_TASK,
    RELAY_EVENTS_TASK,
    RUN_JOB_TASK,
    SWEEP_TASK,
)
from sync.engine import pull_connection, push_connection
from sync.engine.run import run_sync_job
from sync.pipeline import request_delivery, request_relay
from sync.runtime import WorkerRuntime
from sync.sweeper import sweep

logger = logging.getLogger(__name__)

SYNC_JOB = "connection.sync"


def register_tasks(app: Celery, runtime: Callable[[], WorkerRuntime]) -> None:
    async def sync_job(ctx: JobContext) -> dict[str, Any]:
        # Runs on the runtime's loop (run_job is called through runtime().run).
        return await run_sync_job(runtime().sync, ctx)

    register_handler(SYNC_JOB, sync_job)

    @app.task(name=PUSH_TASK, shared=False)
    def push(connection_id: str) -> dict[str, Any]:
        """Pushes the connection's pending items (returns at once if another worker is)."""

        async def work(rt: WorkerRuntime) -> dict[str, Any]:
            try:
                stats = await push_connection(rt.sync, connection_id)
            except HubwireError as exc:  # deleted meanwhile, connector uninstalled
                logger.info("push of %s skipped: %s", connection_id, exc.message)
                return {"stopped": exc.message}
            return {"pushed": stats.pushed, "failed": stats.failed, "stopped": stats.stopped}

        return runtime().run(work)

    @app.task(name=PULL_TASK, shared=False)
    def pull(connection_id: str) -> dict[str, Any]:
        """Pulls the connection's changes since its cursors (or asks the worker syncing it
        to, when there is one)."""

        async def work(rt: WorkerRuntime) -> dict[str, Any]:
            try:
                stats = await pull_connection(rt.sync, connection_id)
            except HubwireError as exc:
                logger.info("pull of %s skipped: %s", connection_id, exc.message)
                return {"stopped": exc.message}
            return {"pulled": stats.records, "failed": stats.failed, "stopped": stats.stopped}

        return runtime().run(work)

    @app.task(name=RELAY_EVENTS_TASK, shared=False)
    def relay_events() -> None:
        """Asks this process's outbox relay to fan undispatched events out (see
        sync/pipeline/relay.py: it returns at once, the relay coalesces the requests)."""
        runtime().post(request_relay)

    @app.task(name=DELIVER_TASK, shared=False)
    def deliver() -> None:
        """Wakes this process's delivery engine to claim what is due (and returns)."""
        runtime().post(request_delivery)

    @app.task(name=RUN_JOB_TASK, shared=False)
    def run_job_task(job_id: str) -> None:
        runtime().run(lambda rt: run_job(rt.db, rt.secrets, rt.settings, job_id))

    @app.task(name=SWEEP_TASK, shared=False)
    def sweep_task() -> dict[str, int]:
        """Re-sends whatever pending work the broker may have lost."""
        return runtime().run(sweep)
