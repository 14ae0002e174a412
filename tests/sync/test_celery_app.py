"""The Celery app routes every task to the queue core's catalog names (core.tasks)."""

from __future__ import annotations

from core.settings import Settings
from core.tasks import (
    DEFAULT_QUEUE,
    DELIVER_TASK,
    PULL_TASK,
    PUSH_TASK,
    RELAY_EVENTS_TASK,
    SYNC_QUEUE,
    TASKS,
    WEBHOOKS_QUEUE,
    queue_of,
)
from sync.celery_app import create_celery


def test_every_task_is_routed_to_its_queue_in_the_catalog() -> None:
    app = create_celery(Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:"))
    routed = {spec.name: app.amqp.router.route({}, spec.name)["queue"].name for spec in TASKS}
    assert routed == {spec.name: spec.queue for spec in TASKS}
    assert routed[PUSH_TASK] == routed[PULL_TASK] == SYNC_QUEUE
    assert routed[RELAY_EVENTS_TASK] == routed[DELIVER_TASK] == WEBHOOKS_QUEUE
    assert queue_of("hubwire.unknown") == DEFAULT_QUEUE


def test_the_worker_registers_every_task_of_the_catalog() -> None:
    from sync.worker import HubwireWorker

    worker = HubwireWorker(Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:"))
    assert {spec.name for spec in TASKS} <= set(worker.celery.tasks)
