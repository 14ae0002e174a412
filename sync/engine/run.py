"""A whole sync of one connection: pull, then push, under one lease. What the
``connection.sync`` job (``POST /v1/connections/{id}/sync``) and ``hubwire sync run`` do.

Unlike the push and pull tasks, which walk away from a connection another worker is
syncing (that worker does their work too), an explicit sync waits for the lease: the user
asked for this run and wants its numbers."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select

from connectors.kit import ObjectSpec
from core.connections.models import SyncItem
from core.database import utcnow
from core.errors import Conflict, HubwireError, ServiceUnavailable
from core.ids import new_id
from core.jobs.handlers import JobContext, JobFailed
from core.leads.models import Lead
from core.waiting import wait_set
from sync.engine.common import (
    Progress,
    SyncDeps,
    Target,
    UnknownConnection,
    add_log,
    load_target,
)
from sync.engine.pull import pull_locked
from sync.engine.push import PushStats, push_locked
from sync.engine.records import HUB_MODELS
from sync.engine.stats import PullStats

# How long an explicit sync waits for a worker that is syncing the same connection.
LEASE_WAIT_SECONDS = 600.0
LEASE_POLL_SECONDS = 0.5
BACKFILL_CHUNK = 1000


class ConnectionNotActive(Conflict):
    def __init__(self, connection_id: str, status: str) -> None:
        hint = {
            "paused": "it is paused: resume it (PATCH status=active) first",
            "pending": "it is waiting for the provider's consent",
            "error": "its credentials stopped working: connect it again",
            "reauthorization_required": "the provider revoked its grant: connect it again",
        }.get(status, f"its status is {status}")
        super().__init__(
            f"Connection {connection_id} cannot sync: {hint}.",
            details={"id": connection_id, "status": status},
        )


class SyncBusy(ServiceUnavailable):
    def __init__(self, connection_id: str) -> None:
        super().__init__(
            f"Another worker kept syncing connection {connection_id}; try again later.",
            details={"id": connection_id},
        )


@dataclass
class SyncRun:
    pull: PullStats = field(default_factory=PullStats)
    push: PushStats = field(default_factory=PushStats)
    backfilled: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "pulled": self.pull.records,
            "pushed": self.push.pushed,
            "failed": self.pull.failed + self.push.failed,
        }


async def sync_connection(
    deps: SyncDeps,
    connection_id: str,
    *,
    only: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    workspace_id: str | None = None,
    wait_seconds: float = LEASE_WAIT_SECONDS,
) -> SyncRun:
    """Pulls (``full``: from the beginning, and queues every Hubwire record for a push,
    which skips those already in sync), then pushes everything pending.

    Raises ``UnknownConnection`` (also for another workspace's connection),
    ``ConnectionNotActive``, or ``SyncBusy`` after ``wait_seconds``."""
    target = await load_target(deps.db, connection_id)
    if workspace_id is not None and target.workspace_id != workspace_id:
        raise UnknownConnection(f"Connection {connection_id} does not exist.")
    if target.status != "active":
        raise ConnectionNotActive(connection_id, target.status)
    if only is not None and target.object(only) is None:
        names = ", ".join(o.name for o in target.objects)
        raise UnknownConnection(f"{target.slug} has no object {only!r} (it has: {names}).")
    deadline = time.monotonic() + wait_seconds
    while True:
        async with deps.leases.hold(target.id) as held:
            if held:
                return await _run(deps, target, only=only, full=full, progress=progress)
        if time.monotonic() >= deadline:
            raise SyncBusy(connection_id)
        await asyncio.sleep(LEASE_POLL_SECONDS)


async def _run(
    deps: SyncDeps, target: Target, *, only: str | None, full: bool, progress: Progress | None
) -> SyncRun:
    run = SyncRun()
    await deps.leases.take_pull_wanted(target.id)  # this run pulls anyway
    if full:
        started = time.monotonic()
        run.backfilled = await queue_backfill(deps, target, only)
        async with deps.db.session() as session:
            add_log(
                session,
                target,
                kind="push",
                object_type=only,
                processed=run.backfilled,
                failed=0,
                provider_calls=0,
                duration_ms=int((time.monotonic() - started) * 1000),
                message=f"full sync: {run.backfilled} records queued for a push "
                "(those already in sync are skipped without a provider call)",
            )
    run.pull = await pull_locked(deps, target, only=only, full=full, progress=progress)
    run.push.pulled = run.pull
    if run.pull.stopped is None:
        await push_locked(deps, target, run.push, only=only, progress=progress)
    else:
        run.push.stopped = run.pull.stopped
    return run


def _backfill_objects(target: Target, only: str | None) -> list[ObjectSpec]:
    """What a full sync re-queues: the primary lead object (every lead) and the objects of
    the other hub objects (every call, every appointment). Secondary lead objects (a deal
    made when a lead converts) follow their own events and are not re-created per lead."""
    primary = target.primary_lead_object
    chosen = [
        o
        for o in target.objects
        if o.direction.pushes
        and (o.hub_object != "lead" or (primary is not None and o.name == primary.name))
    ]
    return [o for o in chosen if only is None or o.name == only]


async def queue_backfill(deps: SyncDeps, target: Target, only: str | None = None) -> int:
    """Queues every lead, call and appointment of the workspace for a push (records already
    in sync are skipped by the push without a provider call): how records that predate the
    connection reach the provider."""
    queued = 0
    for obj in _backfill_objects(target, only):
        model = HUB_MODELS[obj.hub_object]
        wanted = [model.workspace_id == target.workspace_id]
        if obj.hub_object == "lead" and set(obj.events) == {"lead.converted"}:
            # An object that follows only conversions (contacts in a bookkeeping tool) gets
            # the converted leads, not every prospect: what its events would have queued.
            wanted.append(Lead.status == "converted")
        last = ""
        while True:
            async with deps.db.session() as session:
                ids = list(
                    await session.scalars(
                        select(model.id)
                        .where(*wanted, model.id > last)
                        .order_by(model.id)
                        .limit(BACKFILL_CHUNK)
                    )
                )
                if not ids:
                    break
                now = utcnow()
                await session.execute(
                    insert(SyncItem),
                    [
                        {
                            "connection_id": target.id,
                            "object_type": obj.name,
                            "hubwire_id": hub_id,
                            "event_id": new_id("full"),
                            "state": "pending",
                            "attempts": 0,
                            "created_at": now,
                        }
                        for hub_id in ids
                    ],
                )
            queued += len(ids)
            last = ids[-1]
    return queued


class JobProgress:
    """A sync's progress as a job's percent: pull pages fill the first 30 % (their number
    is not known in advance), pushed items the rest. Written by a reporter task at most
    once a second, and at least every ``HEARTBEAT_SECONDS`` (the job's heartbeat)."""

    HEARTBEAT_SECONDS = 30.0

    def __init__(self, ctx: JobContext, pulls: bool) -> None:
        self.ctx = ctx
        self.pull_share = 30 if pulls else 0
        self.pages = 0
        self.total = 0
        self.done = 0

    def pulled(self, object_type: str, records: int) -> None:
        self.pages += 1

    def push_total(self, pending: int) -> None:
        self.total = max(self.total, pending)

    def pushed(self, items: int) -> None:
        self.done += items

    @property
    def percent(self) -> int:
        pull = min(self.pull_share - 1, 3 * self.pages) if self.pull_share else 0
        if self.total:
            pull = self.pull_share
            share = 99 - self.pull_share
            return int(pull + share * min(1.0, self.done / self.total))
        return max(0, pull)

    async def report_until(self, finished: asyncio.Event) -> None:
        written, at = -1, 0.0
        while not finished.is_set():
            percent = self.percent
            if percent != written or time.monotonic() - at >= self.HEARTBEAT_SECONDS:
                await self.ctx.progress(percent)
                written, at = percent, time.monotonic()
            await wait_set(finished, 1.0)


async def run_sync_job(deps: SyncDeps, ctx: JobContext) -> dict[str, Any]:
    """The ``connection.sync`` job: input ``{"connectionId", "full"?, "object"?}``, result
    ``{"pulled", "pushed", "failed"}``."""
    connection_id = str(ctx.input.get("connectionId") or "")
    only = ctx.input.get("object")
    try:
        target = await load_target(deps.db, connection_id)
    except HubwireError as exc:  # unknown connection, connector not installed
        raise JobFailed(exc.code, exc.message) from exc
    progress = JobProgress(ctx, pulls=bool(target.pulling_objects()))
    finished = asyncio.Event()
    reporter = asyncio.create_task(progress.report_until(finished))
    try:
        run = await sync_connection(
            deps,
            connection_id,
            only=str(only) if only else None,
            full=bool(ctx.input.get("full")),
            progress=progress,
            workspace_id=ctx.workspace_id,
        )
    except HubwireError as exc:  # not found, not active, busy
        raise JobFailed(exc.code, exc.message) from exc
    finally:
        finished.set()
        await reporter
    stopped = run.push.stopped or run.pull.stopped
    if stopped is not None:
        # Paused meanwhile, credentials refused, provider down: the work is kept.
        raise JobFailed("SYNC_STOPPED", f"The sync stopped: {stopped}.")
    return run.summary()
