"""``run_job`` as a worker calls it: claiming, idempotence, take-over, progress, failures."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from core.container import Services
from core.database import utcnow
from core.events.models import Event
from core.jobs import handlers
from core.jobs.handlers import JobContext, JobFailed
from core.jobs.models import Job
from core.jobs.repository import STALE_RUNNING
from core.jobs.service import MAX_ATTEMPTS, run_job
from core.webhooks.models import Delivery
from tests.conftest import Api, Tenant


async def _insert(services: Services, workspace_id: str, **fields: Any) -> str:
    values: dict[str, Any] = {"type": "test.echo", "input": {"value": 7}} | fields
    async with services.db.session() as session:
        job = Job(workspace_id=workspace_id, **values)
        session.add(job)
        await session.flush()
        return job.id


async def _load(services: Services, job_id: str) -> Job:
    async with services.db.session() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job


async def _events(services: Services, workspace_id: str) -> list[Event]:
    async with services.db.session() as session:
        rows = await session.scalars(
            select(Event).where(Event.workspace_id == workspace_id, Event.type.like("job.%"))
        )
        return list(rows)


async def _run(services: Services, job_id: str) -> None:
    await run_job(services.db, services.secrets, services.settings, job_id)


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """A `test.echo` handler that reports progress, then waits until the test releases it."""
    release = asyncio.Event()
    release.set()

    async def handler(ctx: JobContext) -> dict[str, Any]:
        await ctx.progress(40)
        await release.wait()
        if ctx.input.get("fail"):
            raise JobFailed("BAD_INPUT", "fail was set")
        if ctx.input.get("crash"):
            raise RuntimeError("boom")
        return {"echo": ctx.input["value"]}

    monkeypatch.setitem(handlers.HANDLERS, "test.echo", handler)
    return release


async def test_progress_is_visible_while_running(
    api: Api, tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    echo.clear()
    job_id = await _insert(services, tenant.id)
    running = asyncio.create_task(_run(services, job_id))
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        job = (await api.get(f"/v1/jobs/{job_id}")).json()
        if job["progress"] == 40:
            break
        assert asyncio.get_running_loop().time() < deadline, job
        await asyncio.sleep(0.02)
    assert job["status"] == "running" and job["startedAt"] is not None and job["attempts"] == 1
    # A second delivery of the task while it runs does nothing.
    await _run(services, job_id)
    assert (await _load(services, job_id)).attempts == 1
    echo.set()
    await running
    done = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert done["status"] == "succeeded" and done["progress"] == 100
    assert done["result"] == {"echo": 7}
    assert done["finishedAt"] is not None


async def test_a_finished_job_is_left_alone(
    tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    job_id = await _insert(services, tenant.id)
    await _run(services, job_id)
    first = await _load(services, job_id)
    await _run(services, job_id)
    again = await _load(services, job_id)
    assert (again.status, again.attempts, again.finished_at) == (
        "succeeded",
        1,
        first.finished_at,
    )
    events = await _events(services, tenant.id)
    assert [e.type for e in events] == ["job.completed"]
    assert events[0].data["id"] == job_id and events[0].data["result"] == {"echo": 7}


async def test_failures_are_recorded_and_announced(
    tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    expected = await _insert(services, tenant.id, input={"fail": True})
    crashed = await _insert(services, tenant.id, input={"crash": True})
    unknown = await _insert(services, tenant.id, type="test.unknown")
    for job_id in (expected, crashed, unknown):
        await _run(services, job_id)
    errors = {job_id: (await _load(services, job_id)).error for job_id in (expected, crashed)}
    assert errors[expected] == {"code": "BAD_INPUT", "message": "fail was set"}
    assert errors[crashed] == {"code": "INTERNAL_ERROR", "message": "The job failed unexpectedly."}
    assert "boom" not in str(errors[crashed])  # internals stay in the logs
    gone = await _load(services, unknown)
    assert gone.status == "failed" and gone.error and gone.error["code"] == "UNKNOWN_JOB_TYPE"
    events = await _events(services, tenant.id)
    assert sorted(e.data["id"] for e in events if e.type == "job.failed") == sorted(
        [expected, crashed, unknown]
    )


async def test_a_stale_running_job_is_taken_over(
    tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    long_ago = utcnow() - STALE_RUNNING - timedelta(minutes=1)
    fresh = await _insert(services, tenant.id, status="running", attempts=1, updated_at=utcnow())
    stale = await _insert(services, tenant.id, status="running", attempts=1, updated_at=long_ago)
    await _run(services, fresh)
    assert (await _load(services, fresh)).status == "running"  # its worker is alive
    await _run(services, stale)
    # The sweeper may have re-sent it too; either way it finishes exactly once.
    deadline = asyncio.get_running_loop().time() + 10
    while (job := await _load(services, stale)).status == "running":
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    assert job.status == "succeeded" and job.attempts == 2


async def test_a_job_that_keeps_killing_workers_is_given_up(
    tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    long_ago = utcnow() - STALE_RUNNING - timedelta(minutes=1)
    job_id = await _insert(
        services, tenant.id, status="running", attempts=MAX_ATTEMPTS, updated_at=long_ago
    )
    await _run(services, job_id)
    deadline = asyncio.get_running_loop().time() + 10
    while (job := await _load(services, job_id)).status == "running":
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    assert job.status == "failed" and job.error and job.error["code"] == "JOB_ABANDONED"


async def test_a_callback_url_queues_one_signed_delivery(
    api: Api, tenant: Tenant, services: Services, echo: asyncio.Event
) -> None:
    url = "https://partner.example.com/hooks"
    job_id = await _insert(services, tenant.id, callback_url=url)
    await _run(services, job_id)
    async with services.db.session() as session:
        deliveries = list(
            await session.scalars(select(Delivery).where(Delivery.workspace_id == tenant.id))
        )
        count = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.workspace_id == tenant.id)
        )
    assert count == 1
    delivery = deliveries[0]
    assert delivery.webhook_id is None and delivery.url == url
    assert delivery.event_type == "job.completed"
    events = await _events(services, tenant.id)
    assert delivery.event_id == events[0].id
    assert f'"id":"{events[0].id}"' in delivery.payload
    assert f'"id":"{job_id}"' in delivery.payload
    # The signing secret exists before the partner ever asked for it.
    secret = (await api.get("/v1/jobs/callback-secret")).json()["secret"]
    assert secret.startswith("whsec_")
