from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from celery import Celery


class CeleryTaskQueue:
    """core's ``TaskQueue`` on a Celery app: send by name, routed by the app's task_routes."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        self.app.send_task(name, args=list(args))
