from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from core.container import Services
from sync.pipeline import deliver_due, pipeline
from sync.runtime import WorkerRuntime
from tests.core.webhooks.receiver import Receiver, running_receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


async def _fan_out_and_deliver(rt: WorkerRuntime) -> int:
    await pipeline(rt).fan_out()
    return await deliver_due(rt)


@pytest.fixture(autouse=False)
async def second_worker(services: Services) -> AsyncIterator[None]:
    """A second worker process's engine beside the app's embedded Celery worker: both
    claim from the same tables, so every test also exercises concurrent workers."""
    rt = WorkerRuntime(services.settings, None)
    stop = asyncio.Event()

    async def pump() -> None:
        while not stop.is_set():
            await asyncio.to_thread(rt.run, _fan_out_and_deliver)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)

    task = asyncio.create_task(pump())
    try:
        yield
    finally:
        stop.set()
        await task
        await asyncio.to_thread(rt.close)
