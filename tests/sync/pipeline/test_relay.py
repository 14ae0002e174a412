"""The process's outbox relay: relay requests coalesce into as few fan-out runs as the
events' arrival allows, and every event is fanned out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.container import Services
from core.events.models import Event
from core.events.service import emit
from core.migrations.runner import upgrade_async
from core.workspaces.service import workspaces
from sync.pipeline import pipeline, request_relay
from sync.pipeline.fanout import DeliveryHandoff, fan_out_pending
from sync.runtime import WorkerRuntime


async def test_requests_coalesce_and_every_event_is_fanned_out(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database of its own: the app's worker (and its sweeper) must not dispatch for it.
    settings = services.settings.model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'dispatch.db'}"}
    )
    await upgrade_async(settings.database_url)
    rt = WorkerRuntime(settings, None)

    async def emit_events(rt: WorkerRuntime, count: int) -> None:
        async with rt.db.session() as session:
            workspace = await workspaces.create(
                session, slug=f"d{count}", contact_email="d@example.com"
            )
            for n in range(count):
                emit(session, workspace_id=workspace.id, type="lead.created", data={"n": n})

    async def undispatched(rt: WorkerRuntime) -> int:
        async with rt.db.session() as session:
            stmt = select(func.count()).where(Event.dispatched_at.is_(None))
            return int(await session.scalar(stmt) or 0)

    # The real fan-out, held at its start until the test opens the gate: a request made
    # while a run is held is one made during that run.
    gate = asyncio.Event()
    held = asyncio.Event()

    async def gated(db: Any, handoff: DeliveryHandoff | None) -> int:
        held.set()
        await gate.wait()
        return await fan_out_pending(db, handoff)

    async def scenario(rt: WorkerRuntime) -> tuple[int, int, int, int, int]:
        await emit_events(rt, 30)
        running = pipeline(rt).relay
        gate.set()
        for _ in range(20):  # twenty dispatch tasks arriving before the first run starts
            request_relay(rt)
        await running.idle()
        first = (running.runs, running.dispatched, await undispatched(rt))
        gate.clear()
        held.clear()
        await emit_events(rt, 5)
        request_relay(rt)
        await held.wait()  # the second run has started and is held
        await emit_events(rt, 7)
        for _ in range(3):  # asked during the run: exactly one more run
            request_relay(rt)
        gate.set()
        await running.idle()
        return *first, running.runs, running.dispatched

    monkeypatch.setattr("sync.pipeline.relay.fan_out_pending", gated)
    try:
        runs, dispatched, left, runs_after, dispatched_after = await asyncio.to_thread(
            rt.run, scenario
        )
        assert (runs, dispatched, left) == (1, 30, 0)
        assert (runs_after, dispatched_after) == (3, 42)
        assert await asyncio.to_thread(rt.run, undispatched) == 0
    finally:
        await asyncio.to_thread(rt.close)
