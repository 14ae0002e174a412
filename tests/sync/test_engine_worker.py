"""The engine as workers run it: the Celery tasks (routed to the ``sync`` queue), the
sweeper (push what is pending, pull on schedule, leave paused connections alone) and the
``connection.sync`` job with its progress and result."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from core.connections.models import Connection
from core.database import utcnow
from core.jobs import handlers
from core.jobs.models import Job
from core.jobs.service import JobService, run_job
from core.tasks import PULL_TASK, PUSH_TASK
from sync.engine.run import run_sync_job
from sync.runtime import WorkerRuntime
from sync.sweeper import sweep
from sync.tasks import SYNC_JOB
from sync.worker import HubwireWorker
from tests.support.tasks import Sent
from tests.sync.engine_kit import CrmState, Env, SyncCrm


async def test_the_sweeper_pushes_pending_work_and_pulls_on_schedule(
    env: Env, crm: SyncCrm, sandbox: str
) -> None:
    workspace = await env.workspace()
    active = await env.connect(workspace, sandbox, connector=crm)
    paused = await env.connect(workspace, sandbox, connector=crm, status="paused")
    await env.create_leads(workspace, {"name": "Ada"})
    await env.fan_out()
    assert len(await env.items(active)) == len(await env.items(paused)) == 1

    rt = WorkerRuntime(env.settings, None)
    sent = Sent()
    rt.db.attach_task_queue(sent)
    try:
        found = await asyncio.to_thread(rt.run, sweep)
        assert (PUSH_TASK, (active,)) in sent.tasks
        assert (PUSH_TASK, (paused,)) not in sent.tasks  # its items wait for the resume
        assert (PULL_TASK, (active,)) in sent.tasks  # never pulled: due now
        assert (PULL_TASK, (paused,)) not in sent.tasks
        assert found["pushes"] >= 1 and found["pulls"] >= 1

        # Once pushed and pulled, the connection is left alone until the interval passes.
        await asyncio.to_thread(rt.run, lambda r: _push_and_pull(r, active))
        sent.tasks.clear()
        await asyncio.to_thread(rt.run, sweep)
        assert (PUSH_TASK, (active,)) not in sent.tasks
        assert (PULL_TASK, (active,)) not in sent.tasks

        # A webhook's second pull (pull_again_at): not before its time, then due; the pull
        # that runs clears it.
        await _pull_again_at(env, active, utcnow() + timedelta(minutes=1))
        await asyncio.to_thread(rt.run, sweep)
        assert (PULL_TASK, (active,)) not in sent.tasks
        await _pull_again_at(env, active, utcnow() - timedelta(seconds=1))
        await asyncio.to_thread(rt.run, sweep)
        assert (PULL_TASK, (active,)) in sent.tasks
        await asyncio.to_thread(rt.run, lambda r: _push_and_pull(r, active))
        async with env.db.session() as session:
            connection = await session.get(Connection, active)
            assert connection is not None and connection.pull_again_at is None
        sent.tasks.clear()
        await asyncio.to_thread(rt.run, sweep)
        assert (PULL_TASK, (active,)) not in sent.tasks
    finally:
        await asyncio.to_thread(rt.close)


async def _pull_again_at(env: Env, connection_id: str, when: datetime) -> None:
    async with env.db.session() as session:
        await session.execute(
            update(Connection).where(Connection.id == connection_id).values(pull_again_at=when)
        )


async def _push_and_pull(rt: WorkerRuntime, connection: str) -> None:
    from sync.engine import pull_connection, push_connection

    await push_connection(rt.sync, connection)
    await pull_connection(rt.sync, connection)


async def test_the_celery_tasks_push_and_pull(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace = await env.workspace()
    connection = await env.connect(workspace, sandbox, connector=crm)
    await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    state.user_create(name="Alan", email="alan@example.com")
    previous = handlers.HANDLERS.get(SYNC_JOB)
    worker = HubwireWorker(env.settings)
    try:
        push = worker.celery.tasks[PUSH_TASK]
        pull = worker.celery.tasks[PULL_TASK]
        pushed = await asyncio.to_thread(lambda: push.apply(args=[connection]).result)
        pulled = await asyncio.to_thread(lambda: pull.apply(args=[connection]).result)
        gone = await asyncio.to_thread(lambda: push.apply(args=["conn_gone"]).result)
    finally:
        await asyncio.to_thread(worker.close)
        if previous is not None:  # the session app's worker registered its own handler
            handlers.register_handler(SYNC_JOB, previous)
    assert pushed == {"pushed": 1, "failed": 0, "stopped": None}
    assert pulled["pulled"] == 2 and pulled["stopped"] is None
    assert "does not exist" in gone["stopped"]
    assert len(state.contacts()) == 2


async def test_the_sync_job_reports_progress_and_its_result(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = await env.workspace()
    connection = await env.connect(workspace, sandbox, connector=crm)
    await env.create_leads(workspace, *({"name": f"P{n}"} for n in range(7)))
    await env.fan_out()
    state.user_create(name="From the CRM")
    monkeypatch.setitem(handlers.HANDLERS, SYNC_JOB, lambda ctx: run_sync_job(env.deps, ctx))

    async def job(input: dict[str, Any]) -> Job:
        async with env.db.session() as session:
            made = await JobService().create(
                session, workspace_id=workspace, type=SYNC_JOB, input=input
            )
            session.info.pop("pending_tasks", None)
        await run_job(env.db, env.secrets, env.settings, made.id)
        async with env.db.session() as session:
            found = await session.get(Job, made.id)
            assert found is not None
            return found

    done = await job({"connectionId": connection})
    assert done.status == "succeeded", done.error
    assert done.progress == 100
    assert done.result == {"pulled": 1, "pushed": 7, "failed": 0}

    other = await env.workspace()
    async with env.db.session() as session:
        made = await JobService().create(
            session, workspace_id=other, type=SYNC_JOB, input={"connectionId": connection}
        )
        session.info.pop("pending_tasks", None)
    await run_job(env.db, env.secrets, env.settings, made.id)
    async with env.db.session() as session:
        foreign = await session.get(Job, made.id)
    assert foreign is not None and foreign.status == "failed"
    assert foreign.error is not None and foreign.error["code"] == "NOT_FOUND"

    await env.set_status(connection, "paused")
    paused = await job({"connectionId": connection})
    assert paused.status == "failed"
    assert paused.error is not None and "paused" in paused.error["message"]
