"""The task-enqueue interface: how core asks for background work without importing ``sync``.

Services call :func:`enqueue_after_commit`; the task is sent to the broker only once the
session's transaction has committed, so a worker never sees an id that is not yet visible
(and a rolled-back request sends nothing). Tasks take ids, never ORM objects or secrets.
The broker only carries "work is ready" signals: the database holds the work itself and
the sweeper re-sends whatever is pending, so a lost message delays work but never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

# The queues a worker consumes (``hubwire worker --queues``).
WEBHOOKS_QUEUE = "webhooks"
SYNC_QUEUE = "sync"
DEFAULT_QUEUE = "default"

# The tasks, by the name they travel under. ``sync`` registers an implementation for each;
# core sends them by name and never imports ``sync``. Names are part of the wire format
# (messages in a broker outlive a deploy): keep them when renaming code.
# The outbox relay: fan undispatched events out into deliveries and push items (no args).
RELAY_EVENTS_TASK = "hubwire.events.dispatch"
# Wake the delivery engine to claim due deliveries (no args).
DELIVER_TASK = "hubwire.webhooks.deliver"
# Push a connection's pending sync items (args: connection_id).
PUSH_TASK = "hubwire.sync.push"
# Pull a connection's changes since its cursors (args: connection_id).
PULL_TASK = "hubwire.sync.pull"
# Run a background job (args: job_id).
RUN_JOB_TASK = "hubwire.jobs.run"
# Re-send whatever pending work the broker may have lost; also the pull schedule (no args).
SWEEP_TASK = "hubwire.sweep"


@dataclass(frozen=True, slots=True)
class TaskSpec:
    name: str
    queue: str


# The catalog: every task and the queue it is routed to.
TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(RELAY_EVENTS_TASK, WEBHOOKS_QUEUE),
    TaskSpec(DELIVER_TASK, WEBHOOKS_QUEUE),
    TaskSpec(PUSH_TASK, SYNC_QUEUE),
    TaskSpec(PULL_TASK, SYNC_QUEUE),
    TaskSpec(RUN_JOB_TASK, DEFAULT_QUEUE),
    TaskSpec(SWEEP_TASK, DEFAULT_QUEUE),
)
QUEUES = (WEBHOOKS_QUEUE, SYNC_QUEUE, DEFAULT_QUEUE)


def queue_of(name: str) -> str:
    """The queue a task is routed to (the default queue for a name not in the catalog)."""
    return next((spec.queue for spec in TASKS if spec.name == name), DEFAULT_QUEUE)


class TaskQueue(Protocol):
    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        """Sends the named task with JSON-serialisable ``args``; must not block for long."""


class TaskRuntime(Protocol):
    """The background-task side of one process, as core sees it; a plugin provides it
    (``hubwire_task_runtime``: ``sync`` gives the Celery one): the queue tasks are sent to
    and, in embedded mode, the worker this process runs."""

    @property
    def queue(self) -> TaskQueue:
        """Where this process sends tasks."""
        ...

    def start(self) -> None:
        """Starts this process's worker, if it runs one; blocks until it consumes."""
        ...

    def stop(self) -> None:
        """Stops it, letting the tasks it runs finish."""
        ...


@dataclass(frozen=True, slots=True)
class PendingTask:
    name: str
    args: tuple[Any, ...] = field(default=())


def enqueue_after_commit(session: AsyncSession, name: str, *args: Any) -> None:
    """Buffers a task on the session; the same task with the same args is sent once."""
    pending: dict[PendingTask, None] = session.info.setdefault("pending_tasks", {})
    pending[PendingTask(name, tuple(args))] = None


def send_pending_tasks(session: AsyncSession) -> None:
    """Called after a successful commit. A broker failure is logged, not raised: the work
    is in the database and the sweeper will send it again."""
    pending: dict[PendingTask, None] = session.info.pop("pending_tasks", {})
    send_tasks(session.info.get("task_queue"), pending)


def send_tasks(queue: TaskQueue | None, tasks: Iterable[PendingTask]) -> None:
    """Sends ``tasks`` now (nothing without a queue); a broker failure is logged, not
    raised, for the reason above."""
    if queue is None:
        return
    for task in tasks:
        try:
            queue.send(task.name, task.args)
        except Exception:
            logger.warning(
                "could not enqueue %s; the sweeper will retry it", task.name, exc_info=True
            )


def discard_pending_tasks(session: AsyncSession) -> None:
    session.info.pop("pending_tasks", None)
