"""Running a connection's pull or push from a test as a worker would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import pytest

from sync.engine.lease import local_holders


class _Stopped(Protocol):
    @property
    def stopped(self) -> str | None: ...


S = TypeVar("S", bound=_Stopped)

# The session app's own worker may hold the connection's lease for a scheduled sync; beside
# three other test processes on two cores that sync can take tens of seconds.
BUSY_PATIENCE_SECONDS = 180.0


async def when_free(run: Callable[[], Awaitable[S]]) -> S:
    """Runs ``run`` (a pull or push of one connection) until it is not turned away as
    ``busy`` by another holder of the connection's lease; fails after three minutes."""
    deadline = time.monotonic() + BUSY_PATIENCE_SECONDS
    while True:
        stats = await run()
        if stats.stopped != "busy":
            return stats
        if time.monotonic() > deadline:
            holders = "\n".join(local_holders()) or "none in this process (Redis leases)"
            pytest.fail(
                f"the connection stayed busy for {BUSY_PATIENCE_SECONDS:.0f} s; held:\n{holders}"
            )
        await asyncio.sleep(0.1)
