"""What a worker process holds: its settings, database, secret box and one event loop.

Celery runs tasks in pool threads (or the main thread); the async code they call runs on
one long-lived loop in a background thread, so connection pools (asyncpg, aiohttp) live on
the loop that made them and are reused by every task of the process."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from core.container import build_event_catalog, build_secret_box
from core.crypto import SecretBox
from core.database import Database
from core.events.catalog import EventCatalog
from core.settings import Settings
from core.tasks import TaskQueue

T = TypeVar("T")


class WorkerRuntime:
    def __init__(self, settings: Settings, task_queue: TaskQueue | None) -> None:
        self.settings = settings
        self.db = Database(settings.database_url)
        self.db.attach_task_queue(task_queue)
        self.secrets: SecretBox = build_secret_box(settings)
        self.catalog: EventCatalog = build_event_catalog()
        # Long-lived objects tasks share on this loop (the webhook sender's HTTP session).
        self.resources: dict[str, Any] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="hubwire-worker-loop", daemon=True
        )
        self._thread.start()

    def run(self, work: Callable[[WorkerRuntime], Awaitable[T]], timeout: float | None = None) -> T:
        """Runs ``work(self)`` on the runtime's loop and waits for its result."""

        async def call() -> T:
            return await work(self)

        future: Future[T] = asyncio.run_coroutine_threadsafe(call(), self._loop)
        return future.result(timeout)

    def close(self) -> None:
        async def shutdown() -> None:
            for resource in self.resources.values():
                close = getattr(resource, "close", None)
                if close is not None:
                    await close()
            await self.db.dispose()

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
