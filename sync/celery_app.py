"""The Celery app, configured from settings.

Production: ``HUBWIRE_BROKER_URL=redis://…`` or ``amqp://…`` and ``hubwire worker`` (or
``celery -A sync worker -B``) on as many machines as needed. Embedded (no broker URL): an
in-memory broker and a worker thread inside ``hubwire serve``.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Queue

from core.settings import Settings
from core.tasks import DEFAULT_QUEUE, QUEUES, SWEEP_TASK, TASKS

EMBEDDED_BROKER = "memory://localhost/"


def _transport_options(settings: Settings) -> dict[str, Any]:
    if not settings.broker_url:
        # The in-memory transport polls its queues; its 1 s default would add up to a
        # second of latency to every hop (commit -> dispatch -> deliver).
        return {"polling_interval": 0.05}
    if settings.broker_url.startswith(("redis://", "rediss://")):
        # Several test runs or deployments may share one Redis: keep their keys apart.
        return {"global_keyprefix": settings.redis_prefix}
    return {}


def create_celery(settings: Settings) -> Celery:
    app = Celery("hubwire", broker=settings.broker_url or EMBEDDED_BROKER, set_as_current=False)
    app.conf.update(
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue=DEFAULT_QUEUE,
        # Routed from core's task catalog (core.tasks.TASKS).
        task_routes={spec.name: {"queue": spec.queue} for spec in TASKS},
        # A message is acknowledged after its task ran: a worker killed mid-task leaves it
        # to be redelivered; tasks are idempotent (they work from database state).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # The sweeper's schedule lives in memory: it is idempotent, so a restart costs
        # nothing, and no schedule file is left behind.
        beat_scheduler="celery.beat:Scheduler",
        # Per transport: memory polling speed, Redis key prefix.
        broker_transport_options=_transport_options(settings),
        beat_schedule={
            "sweep": {"task": SWEEP_TASK, "schedule": settings.sweeper_interval_seconds}
        },
    )
    return app
