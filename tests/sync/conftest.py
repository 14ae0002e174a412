from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from core.container import Services
from core.waiting import wait_set
from sync.pipeline import deliver_due, pipeline
from sync.runtime import WorkerRuntime
from tests.core.webhooks.receiver import Receiver, running_receiver
from tests.support.live_server import serve_asgi
from tests.sync.engine_kit import CrmState, Env, SyncCrm, crm_app, registered, sync_env


@pytest.fixture(scope="module", params=["embedded", "postgres"])
async def env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    """The sync engine's environment on each backend: one database per test module."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    async with sync_env(request.param, tmp_path_factory.mktemp(name)) as made:
        yield made


@pytest.fixture(scope="module")
def crm() -> Iterator[SyncCrm]:
    """The engine tests' own connector, registered for the module."""
    yield from registered(SyncCrm())


@pytest.fixture
def state() -> CrmState:
    return CrmState()


@pytest.fixture
def sandbox(state: CrmState) -> Iterator[str]:
    """The engine tests' CRM on loopback, serving ``state``."""
    with serve_asgi(crm_app(state)) as url:
        yield url


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
            await wait_set(stop, 0.1)

    task = asyncio.create_task(pump())
    try:
        yield
    finally:
        stop.set()
        await task
        await asyncio.to_thread(rt.close)
