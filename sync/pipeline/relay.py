"""The outbox relay: one per worker process, it moves undispatched events out of the outbox
(the events table) through the fan-out.

Every commit that writes events sends a relay task; under load that is hundreds a second.
Each task only pokes this process's relay and returns (its Celery thread and message are
freed at once). The relay runs one fan-out at a time on the runtime's loop and, when poked
while running, runs once more right after: the events of every commit that arrived
meanwhile go out in that next run, so a busy process fans out fewer, larger batches instead
of several small ones racing each other for the same rows.

Nothing is lost by returning early: the events stay undispatched in the database until a
fan-out commits, and the sweeper pokes again for any it finds (a worker killed between the
acknowledgement and the fan-out)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.database import Database
from sync.pipeline.fanout import DeliveryHandoff, fan_out_pending

logger = logging.getLogger(__name__)

# After a failed fan-out (the database unreachable), the pause before the next poke counts.
FAILURE_PAUSE_SECONDS = 0.5


class Relay:
    """``handoff()`` names the engine to hand new deliveries to (None: leave them to any
    worker's deliver task); it is asked before each batch, so an engine that starts or
    closes meanwhile is seen."""

    def __init__(self, db: Database, handoff: Callable[[], DeliveryHandoff | None]) -> None:
        self.db = db
        self._handoff = handoff
        self._poked = False
        self._task: asyncio.Task[None] | None = None
        # Counters, for logs and tests: fan-out runs and the events they dispatched.
        self.runs = 0
        self.dispatched = 0

    def poke(self) -> None:
        """There are undispatched events: fan them out now, or right after the current run."""
        self._poked = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._poked:
            self._poked = False
            self.runs += 1
            try:
                self.dispatched += await fan_out_pending(self.db, self._handoff())
            except Exception:
                # Still undispatched: the next poke (a new event, the sweeper) retries.
                logger.exception("fanning out events failed")
                await asyncio.sleep(FAILURE_PAUSE_SECONDS)

    async def idle(self) -> None:
        """Waits until no fan-out is running (none is left when nobody pokes meanwhile)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def close(self) -> None:
        self._poked = False
        await self.idle()
