"""A Celery app with Hubwire's tasks, and the embedded worker thread of ``hubwire serve``."""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery
from celery.worker import WorkController
from celery.worker import state as worker_state

from core.settings import Settings, get_settings
from core.tasks import SWEEP_TASK
from sync.celery_app import create_celery
from sync.queue import CeleryTaskQueue
from sync.runtime import WorkerRuntime
from sync.tasks import register_tasks

logger = logging.getLogger(__name__)


class HubwireWorker:
    """One Celery app bound to one settings object; its runtime is made on first task."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.celery: Celery = create_celery(settings)
        self.queue = CeleryTaskQueue(self.celery)
        self._runtime: WorkerRuntime | None = None
        self._lock = threading.Lock()
        register_tasks(self.celery, self.runtime)

    def runtime(self) -> WorkerRuntime:
        with self._lock:
            if self._runtime is None:
                self._runtime = WorkerRuntime(self.settings, self.queue)
            return self._runtime

    def close(self) -> None:
        with self._lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None


class _Controller(WorkController):
    def __init__(self, app: Celery, **options: Any) -> None:
        self.ready = threading.Event()
        super().__init__(app=app, **options)

    def on_consumer_ready(self, consumer: object) -> None:
        self.ready.set()


class EmbeddedWorker:
    """A real Celery worker (thread pool) in this process, and a timer that sends the
    sweeper task. Celery's embedded beat would fork a child process, which is unsafe in a
    threaded server and cannot reach the in-memory broker of its parent."""

    def __init__(self, worker: HubwireWorker) -> None:
        self.worker = worker
        self._controller: _Controller | None = None
        self._thread: threading.Thread | None = None
        self._sweeper: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self, timeout: float = 30) -> None:
        settings = self.worker.settings
        # The thread pool resolves task names on the default app; without this every task is
        # "received" and then dropped as unknown. One embedded worker per process (see stop).
        self.worker.celery.set_default()
        if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
            # One "received"/"succeeded" pair per task (a sweep every few seconds) would bury
            # the server's own log; failures are still logged as errors.
            for name in ("celery.app.trace", "celery.worker.strategy"):
                logging.getLogger(name).setLevel(logging.WARNING)
        controller = _Controller(
            app=self.worker.celery,
            pool_cls="threads",
            concurrency=settings.worker_concurrency,
            beat=False,
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            loglevel=settings.log_level,
            hostname=f"embedded@{threading.get_ident()}",
        )
        thread = threading.Thread(target=controller.start, name="hubwire-worker", daemon=True)
        thread.start()
        if not controller.ready.wait(timeout):
            raise RuntimeError("the embedded Celery worker did not start")
        self._controller, self._thread = controller, thread
        self._stopping.clear()
        self._sweeper = threading.Thread(target=self._sweep_forever, name="hubwire-sweeper")
        self._sweeper.daemon = True
        self._sweeper.start()
        logger.info("embedded worker started (%s)", self.worker.celery.conf.broker_url)

    def _sweep_forever(self) -> None:
        interval = self.worker.settings.sweeper_interval_seconds
        while not self._stopping.wait(interval):
            try:
                self.worker.queue.send(SWEEP_TASK)
            except Exception:
                logger.warning("could not send the sweeper task", exc_info=True)

    def stop(self) -> None:
        self._stopping.set()
        if self._sweeper is not None:
            self._sweeper.join(10)
            self._sweeper = None
        if self._controller is not None and self._thread is not None:
            # Celery's own way to stop a worker thread (celery.contrib.testing): the worker
            # loop sees the flag and shuts down warm, in its own thread. Calling
            # ``controller.stop()`` from here would race the loop for the broker socket.
            # The flag is process-wide, hence one embedded worker per process.
            worker_state.should_stop = 0  # type: ignore[assignment]  # stubs say None only
            self._thread.join(30)
            worker_state.should_stop = None
            self._controller = self._thread = None
        self.worker.close()


class TaskBridge:
    """This process's background-task runtime as core sees it (``core.tasks.TaskRuntime``,
    handed over by the ``hubwire_task_runtime`` hook): the Celery app's queue to send to
    and, in embedded mode, the worker thread this process runs."""

    def __init__(self, settings: Settings) -> None:
        self._worker = HubwireWorker(settings)
        self._embedded = EmbeddedWorker(self._worker) if settings.embedded_worker else None

    @property
    def queue(self) -> CeleryTaskQueue:
        return self._worker.queue

    def start(self) -> None:
        if self._embedded is not None:
            self._embedded.start()

    def stop(self) -> None:
        if self._embedded is not None:
            self._embedded.stop()


_default: HubwireWorker | None = None


def default_worker() -> HubwireWorker:
    """The process's worker from environment settings (``celery -A sync``, ``hubwire worker``)."""
    global _default
    if _default is None:
        _default = HubwireWorker(get_settings())
    return _default
