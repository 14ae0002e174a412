"""The task-enqueue interface: how core asks for background work without importing ``sync``.

Services call :func:`enqueue_after_commit`; the task is sent to the broker only once the
session's transaction has committed, so a worker never sees an id that is not yet visible
(and a rolled-back request sends nothing). Tasks take ids, never ORM objects or secrets.
The broker only carries "work is ready" signals: the database holds the work itself and
the sweeper re-sends whatever is pending, so a lost message delays work but never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

# Queues a worker consumes; routing by task name lives with the Celery app in ``sync``.
WEBHOOKS_QUEUE = "webhooks"
SYNC_QUEUE = "sync"
DEFAULT_QUEUE = "default"


class TaskQueue(Protocol):
    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        """Sends the named task with JSON-serialisable ``args``; must not block for long."""


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
    queue: TaskQueue | None = session.info.get("task_queue")
    if queue is None:
        return
    for task in pending:
        try:
            queue.send(task.name, task.args)
        except Exception:
            logger.warning(
                "could not enqueue %s; the sweeper will retry it", task.name, exc_info=True
            )


def discard_pending_tasks(session: AsyncSession) -> None:
    session.info.pop("pending_tasks", None)
