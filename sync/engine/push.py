"""Push: a connection's pending sync items, coalesced into the provider's batch calls.

The event fan-out (``sync.pipeline.fanout``) writes one ``SyncItem`` per event and
provider object. A push run, under the connection's sync lease:

1. claims up to ``sync_claim_size`` pending items (oldest first), and groups them by
   provider object and Hubwire record: ten events about one lead are one record, read as
   the lead is NOW (not as any event saw it);
2. drops what has nothing to send: records deleted in Hubwire (push never deletes at the
   provider) and records whose hash equals the id map's (unchanged, or an echo of a pull);
3. for an object that also pulls, when some record is an update, reads the records about
   to be updated by id (``connector.read``; a connector without it has the object pulled
   first), so a newer edit at the provider wins (last write wins) instead of being
   overwritten;
4. sends ``ObjectSpec.batch_size`` records per ``connector.push`` call, at most the
   connection's ``concurrency_limit`` calls in flight, each call through the connection's
   provider budget;
5. commits each batch's outcome in one transaction: id map rows, items done (or retried,
   failed after ``sync_max_attempts``), a ``SyncLog`` line and ``last_synced_at``.

Delivery is at least once. A worker that dies after the provider accepted a batch and
before its commit leaves the items pending; the next run pushes them again. Records the
provider already has are updates then, except creates whose provider id was never stored:
connectors make creates idempotent where the provider allows (HubSpot: a contact's email is
unique, a 409 on create becomes a search and an update), so a crash repeats a write at
worst, it does not duplicate a record."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import ScalarResult
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import ObjectSpec, PushResult, Record
from core.connections.models import SyncItem
from core.connections.repository import item_due
from core.database import utcnow
from core.events.models import Event
from core.jobs.models import Job
from sync.engine.common import (
    Caller,
    NoProgress,
    Progress,
    SyncDeps,
    SyncStopped,
    Target,
    add_log,
    aware,
    connection_status,
    id_map,
    id_map_by_external,
    load_target,
    log_stop,
    related_links,
    report,
    touch_synced,
    upsert_id_map,
)
from sync.engine.pull import clear_pull_again, pull_by_id, pull_locked, pull_object
from sync.engine.records import HUB_MODELS, HubRow, fields_hash, hub_record, notification
from sync.engine.stats import PullStats

logger = logging.getLogger("hubwire.sync")


@dataclass
class PushStats:
    """What a push did; ``stopped`` says why it ended early (None: nothing left to do)."""

    claimed: int = 0
    records: int = 0
    pushed: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: int = 0
    batches: int = 0
    provider_calls: int = 0
    pulled: PullStats = field(default_factory=PullStats)
    stopped: str | None = None


# However often an item failed, it is tried again within this long.
MAX_RETRY_DELAY_SECONDS = 3600.0


@dataclass
class _Work:
    """One record to send and the items it settles."""

    record: Record
    item_ids: list[int]


def _pending(connection_id: str, after_id: int, only: str | None) -> list[Any]:
    """Pending items that are due (not waiting out a backoff after a failure)."""
    where = [
        SyncItem.connection_id == connection_id,
        SyncItem.state == "pending",
        SyncItem.id > after_id,
        item_due(utcnow()),
    ]
    if only is not None:
        where.append(SyncItem.object_type == only)
    return where


async def pending_count(
    deps: SyncDeps, connection_id: str, after_id: int = 0, only: str | None = None
) -> int:
    async with deps.db.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(SyncItem)
            .where(*_pending(connection_id, after_id, only))
        )
        return int(count or 0)


async def push_connection(
    deps: SyncDeps,
    connection_id: str,
    *,
    only: str | None = None,
    progress: Progress | None = None,
) -> PushStats:
    """Pushes everything pending for the connection; returns at once when another worker
    holds its lease (that one re-checks for new work before letting go) or when the
    connection is paused (its items stay pending: resuming pushes them)."""
    stats = PushStats()
    seen = 0
    while True:
        target = await load_target(deps.db, connection_id)
        if target.status != "active":
            stats.stopped = f"connection is {target.status}"
            return stats
        async with deps.leases.hold(target.id) as held:
            if not held:
                stats.stopped = "busy"
                return stats
            seen = await push_locked(
                deps, target, stats, only=only, progress=progress, after_id=seen
            )
            if stats.stopped is None and await deps.leases.take_pull_wanted(target.id):
                # A pull asked for while we pushed (an inbound webhook) found us busy.
                stats.pulled.add(await pull_locked(deps, target, progress=progress))
        if stats.stopped is not None:
            return stats
        # Items committed while we were letting go found the lease taken and left: look
        # once more now that it is free (the sweeper would find them too, later).
        if not await pending_count(deps, connection_id, seen, only):
            return stats


async def pull_connection(
    deps: SyncDeps,
    connection_id: str,
    *,
    only: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
) -> PullStats:
    """Pulls every pulling object (or ``only`` one) of the connection, under its sync lease.

    ``full`` starts from the beginning instead of the stored cursor. A paused or inactive
    connection, or one another worker is syncing, is left alone (``stopped`` says so).

    Like a push, the holder looks for pending items before it lets go, and before each
    pull asked for meanwhile: push tasks walk away from a held lease, so pulls that take
    longer than the pull schedule's interval (Salesforce's re-read look-back on a busy
    machine) would otherwise run back to back and keep every push out for as long as they
    last (docs/operations/sync.md, "One worker at a time")."""
    target = await load_target(deps.db, connection_id)
    if target.status != "active":
        return PullStats(stopped=f"connection is {target.status}")
    async with deps.leases.hold(target.id) as held:
        if not held:
            # The holder pulls before letting go: the request is not lost.
            await deps.leases.want_pull(target.id)
            return PullStats(stopped="busy")
        await deps.leases.take_pull_wanted(target.id)  # this pull serves those requests
        await clear_pull_again(deps.db, target.id, utcnow())
        stats = await pull_locked(deps, target, only=only, full=full, progress=progress)
        while stats.stopped is None:
            if only is None and await pending_count(deps, target.id):
                pushed = PushStats()
                await push_locked(deps, target, pushed, progress=progress)
                if pushed.stopped is not None:
                    break
            if not await deps.leases.take_pull_wanted(target.id):
                break
            stats.add(await pull_locked(deps, target, progress=progress))
        return stats


async def push_locked(
    deps: SyncDeps,
    target: Target,
    stats: PushStats,
    *,
    only: str | None = None,
    progress: Progress | None = None,
    after_id: int = 0,
) -> int:
    """The push itself, under the lease; returns the last item id it looked at.

    Items are claimed in id order from ``after_id`` on, so an item that failed and stays
    pending is retried by the next run, not again and again within this one. The next
    claim is read and prepared while the last batches of the previous one are still at
    the provider, so the provider's budget is not left idle between claims."""
    progress = progress or NoProgress()
    progress.push_total(await pending_count(deps, target.id, after_id, only))
    sender = _Sender(deps, target, Caller(deps, target), stats, progress)
    pulled: set[str] = set()
    claim_size = deps.settings.sync_claim_size
    try:
        while not sender.stopped:
            status = await connection_status(deps.db, target.id)
            if status != "active":
                stats.stopped = f"connection is {status or 'gone'}"
                break
            # Keep at most a round of batches waiting: claims stay close to the provider.
            await sender.wait_below(target.concurrency_limit)
            async with deps.db.session() as session:
                items = list(
                    await session.scalars(
                        select(SyncItem)
                        .where(*_pending(target.id, after_id, only))
                        .order_by(SyncItem.id)
                        .limit(claim_size)
                    )
                )
            if not items:
                break
            after_id = items[-1].id
            stats.claimed += len(items)
            if sender.overlaps((i.object_type, i.hubwire_id) for i in items):
                # A record still at the provider changed again: its write must land (and
                # its id be stored) before the next one is prepared.
                await sender.drain()
            await _push_items(deps, target, sender, items, pulled)
            if len(items) < claim_size:
                break
        await sender.drain()
    except SyncStopped as exc:
        await sender.drain()
        sender.stop(exc)
    if sender.stopped is not None:
        stats.stopped = str(sender.stopped)
        await log_stop(deps.db, target, "push", stats.stopped)
    return after_id


async def _push_items(
    deps: SyncDeps,
    target: Target,
    sender: _Sender,
    items: Sequence[SyncItem],
    pulled: set[str],
) -> None:
    """Prepares one claim's records, object by object, and hands them to the sender."""
    stats, progress = sender.stats, sender.progress
    by_object: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        by_object[item.object_type][item.hubwire_id].append(item.id)
    unpushable: dict[str, list[int]] = defaultdict(list)
    for name, records in by_object.items():
        spec = target.object(name)
        if spec is None or not spec.direction.pushes:
            reason = (
                "the connector no longer has this object"
                if spec is None
                else "the connector does not push this object"
            )
            unpushable[reason].extend(i for ids in records.values() for i in ids)
    for reason, item_ids in unpushable.items():
        await _fail_items(deps, item_ids, reason, final=True)
        stats.failed += len(item_ids)
        progress.pushed(len(item_ids))
    primary = target.primary_lead_object
    for obj in target.pushing_objects():
        chosen = by_object.get(obj.name)
        if not chosen:
            continue
        if primary is None or obj.name != primary.name:
            # Calls and deals point at the lead's record: its write must have landed.
            await sender.drain()
        if obj.pushes_lead and primary is not None and obj.name != primary.name:
            await _push_missing_leads(deps, target, sender, obj, primary, list(chosen))
        work = await _prepare(deps, target, obj, chosen, stats, progress)
        updates = [w.record.external_id for w in work if w.record.external_id]
        by_id = target.connector.overrides("read")
        if obj.direction.pulls and updates and (by_id or obj.name not in pulled):
            # Updates of records the provider holds: take the provider's newer edits first.
            pulled.add(obj.name)
            await _provider_first(deps, target, sender, obj, updates if by_id else None)
            work = await _prepare(deps, target, obj, chosen, stats, progress)
        sender.send(obj, work)


async def _push_missing_leads(
    deps: SyncDeps,
    target: Target,
    sender: _Sender,
    obj: ObjectSpec,
    primary: ObjectSpec,
    hub_ids: list[str],
) -> None:
    """For an object that brings its lead (``ObjectSpec.pushes_lead``): the leads of these
    records that the provider does not hold yet are pushed first, as the primary lead
    object, and linked in the id map like any lead, so no lead event has to come first. They
    have no items of their own: a later event of the lead finds it linked (an update, or
    unchanged), and a lead that fails leaves the record waiting for the next run. Runs
    under the connection's lease, after the claim's own leads have landed, so a lead is
    created once (docs/operations/sync.md)."""
    async with deps.db.session() as session:
        rows = await _hub_rows(session, target, obj, hub_ids)
        related = await related_links(session, target, obj, rows)
        missing = sorted({rel.missing for rel in related.values() if rel.missing})
        leads = await _hub_rows(session, target, primary, missing)
    if not leads:
        return
    work = [
        _Work(hub_record(primary.hub_object, lead, primary.name, extra=primary.extra_fields), [])
        for lead in leads.values()
    ]
    sender.send(primary, work)
    await sender.drain()


async def _provider_first(
    deps: SyncDeps,
    target: Target,
    sender: _Sender,
    obj: ObjectSpec,
    external_ids: list[str] | None,
) -> None:
    """Applies the provider's version of what is about to be updated (last write wins):
    those records read by id (``connector.read``: every claim, no search index lag), or,
    when the connector cannot read by id, the object's changes pulled (once a run)."""
    try:
        if external_ids is not None:
            await pull_by_id(deps, target, sender.caller, obj, external_ids, sender.stats.pulled)
        else:
            await sender.drain()
            await pull_object(deps, target, sender.caller, obj, sender.stats.pulled)
    except SyncStopped:
        raise
    except Exception as exc:
        # Pushing now could overwrite a newer provider edit we failed to read.
        logger.warning("%s pull before push failed", target.slug, exc_info=True)
        raise SyncStopped(f"the pull before the push failed: {exc}") from exc


async def _prepare(
    deps: SyncDeps,
    target: Target,
    obj: ObjectSpec,
    records: dict[str, list[int]],
    stats: PushStats,
    progress: Progress,
) -> list[_Work]:
    """The records to send; settles at once the items with nothing to send. Called again
    after a pre-push pull, on the items still pending."""
    done: list[int] = []
    waiting: dict[str, list[int]] = defaultdict(list)
    work: list[_Work] = []
    async with deps.db.session() as session:
        still = set(
            await session.scalars(
                select(SyncItem.id).where(
                    SyncItem.id.in_([i for ids in records.values() for i in ids]),
                    SyncItem.state == "pending",
                )
            )
        )
        live = {hub_id: [i for i in ids if i in still] for hub_id, ids in records.items()}
        live = {hub_id: ids for hub_id, ids in live.items() if ids}
        rows = await _hub_rows(session, target, obj, list(live))
        links = await id_map(session, target.id, obj.name, rows)
        related = await related_links(session, target, obj, rows)
        kinds = await _event_types(session, still) if obj.notify else {}
        scores = (
            await _analysis_scores(session, target.workspace_id, list(rows))
            if obj.notify and obj.hub_object == "call"
            else {}
        )
        for hub_id, item_ids in live.items():
            row = rows.get(hub_id)
            if row is None:
                # Deleted in Hubwire: push does not delete at the provider.
                stats.missing += 1
                done.extend(item_ids)
                continue
            rel = related[hub_id]
            if rel.missing is not None:
                waiting[f"its lead {rel.missing} is not at the provider yet"].extend(item_ids)
                continue
            link = links.get(hub_id)
            record = hub_record(
                obj.hub_object,
                row,
                obj.name,
                external_id=link.external_id if link else None,
                related=rel.ids,
                extra=obj.extra_fields,
            )
            if obj.notify:
                # A notification goes out for every event, whatever changed.
                record = notification(
                    record,
                    row,
                    [kinds[i] for i in item_ids if i in kinds],
                    deps.settings,
                    score=scores.get(hub_id),
                )
            elif link is not None and link.fields_hash == fields_hash(record):
                stats.unchanged += 1
                done.extend(item_ids)
                continue
            work.append(_Work(record, item_ids))
        if done:
            await session.execute(
                update(SyncItem)
                .where(SyncItem.id.in_(done))
                .values(state="done", done_at=utcnow(), error=None)
            )
    for reason, item_ids in waiting.items():
        # Its lead is usually pushed in this very run: try again with the next one, no wait.
        await _fail_items(
            deps, item_ids, reason, max_attempts=deps.settings.sync_max_attempts, backoff=False
        )
    progress.pushed(len(done) + sum(len(ids) for ids in waiting.values()))
    return work


async def _event_types(session: AsyncSession, item_ids: Iterable[int]) -> dict[int, str]:
    """The event type behind each push item (events pruned meanwhile are left out)."""
    ids = list(item_ids)
    if not ids:
        return {}
    found = await session.execute(
        select(SyncItem.id, Event.type)
        .join(Event, Event.id == SyncItem.event_id)
        .where(SyncItem.id.in_(ids))
    )
    return {item_id: kind for item_id, kind in found.all()}


async def _analysis_scores(
    session: AsyncSession, workspace_id: str, call_ids: list[str]
) -> dict[str, Any]:
    """The score of each call's latest finished analysis job (calls without one left out)."""
    if not call_ids:
        return {}
    call_id = Job.input["callId"].as_string()
    found = await session.execute(
        select(call_id, Job.result)
        .where(
            Job.workspace_id == workspace_id,
            Job.type == "call.analysis",
            Job.status == "succeeded",
            call_id.in_(call_ids),
        )
        .order_by(Job.finished_at)
    )
    return {
        row_call: result["score"]
        for row_call, result in found.all()
        if isinstance(result, dict) and result.get("score") is not None
    }


async def _hub_rows(
    session: AsyncSession, target: Target, obj: ObjectSpec, ids: list[str]
) -> dict[str, HubRow]:
    if not ids:
        return {}
    model = HUB_MODELS[obj.hub_object]
    found: ScalarResult[HubRow] = await session.scalars(
        select(model).where(model.workspace_id == target.workspace_id, model.id.in_(ids))
    )
    return {row.id: row for row in found}


class _Sender:
    """The batches of one push run: at most ``concurrency_limit`` provider calls in flight
    (the connection's setting), each batch's outcome committed as soon as it is back (the
    commit does not hold a provider slot). A batch that has to stop the run (credentials
    refused, rate limited past patience) lets the batches in flight finish and starts no
    more; theirs and the rest of the claim stay pending."""

    def __init__(
        self,
        deps: SyncDeps,
        target: Target,
        caller: Caller,
        stats: PushStats,
        progress: Progress,
    ) -> None:
        self.deps, self.target, self.caller = deps, target, caller
        self.stats, self.progress = stats, progress
        self.gate = asyncio.Semaphore(target.concurrency_limit)
        self.tasks: set[asyncio.Task[None]] = set()
        self.busy: dict[tuple[str, str], int] = defaultdict(int)
        self.stopped: SyncStopped | None = None
        self._changed = asyncio.Event()

    def stop(self, reason: SyncStopped) -> None:
        if self.stopped is None:
            self.stopped = reason

    def overlaps(self, keys: Iterable[tuple[str, str]]) -> bool:
        return any(key in self.busy for key in keys)

    def send(self, obj: ObjectSpec, work: list[_Work]) -> None:
        size = obj.batch_size
        for start in range(0, len(work), size):
            batch = work[start : start + size]
            for w in batch:
                self.busy[(obj.name, w.record.hubwire_id or "")] += 1
            task = asyncio.create_task(self._run(obj, batch))
            self.tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self._changed.set()

    async def _run(self, obj: ObjectSpec, batch: list[_Work]) -> None:
        try:
            async with self.gate:
                if self.stopped is not None:
                    return
                try:
                    sent = await _call(self.caller, self.target, obj, batch, self.stats)
                except SyncStopped as exc:
                    self.stop(exc)
                    return
            await _record(self.deps, self.target, obj, batch, sent, self.stats)
            self.progress.pushed(sum(len(w.item_ids) for w in batch))
        finally:
            for w in batch:
                key = (obj.name, w.record.hubwire_id or "")
                self.busy[key] -= 1
                if self.busy[key] <= 0:
                    del self.busy[key]

    async def wait_below(self, count: int) -> None:
        """Waits until at most ``count`` batches are unfinished."""
        while len(self.tasks) > count:
            self._changed.clear()
            await self._changed.wait()

    async def drain(self) -> None:
        """Waits for every batch; a batch that failed unexpectedly (its commit) raises here."""
        while self.tasks:
            done = await asyncio.gather(*list(self.tasks), return_exceptions=True)
            for outcome in done:
                if isinstance(outcome, BaseException) and not isinstance(
                    outcome, asyncio.CancelledError
                ):
                    raise outcome


@dataclass
class _Sent:
    """What came back for one batch: the provider's result, or why the call failed."""

    result: PushResult | None
    error: str | None
    calls: int
    started: datetime
    clock: float


async def _call(
    caller: Caller, target: Target, obj: ObjectSpec, batch: list[_Work], stats: PushStats
) -> _Sent:
    started, clock = utcnow(), time.monotonic()
    counter = caller.counter()
    records = [w.record for w in batch]
    error: str | None = None
    result: PushResult | None = None
    try:
        result = await caller.call(
            lambda ctx: target.connector.push(ctx, obj.name, records), counter
        )
    except SyncStopped:
        stats.provider_calls += counter.calls
        raise
    except Exception as exc:  # the whole batch failed: every record gets an attempt
        logger.warning("%s push of %d %s failed: %s", target.slug, len(batch), obj.name, exc)
        error = f"{type(exc).__name__}: {exc}"[:500]
    stats.batches += 1
    stats.records += len(batch)
    stats.provider_calls += counter.calls
    return _Sent(result, error, counter.calls, started, clock)


async def _record(
    deps: SyncDeps,
    target: Target,
    obj: ObjectSpec,
    batch: list[_Work],
    sent: _Sent,
    stats: PushStats,
) -> None:
    """Commits one batch's outcome in one transaction (see the module docstring)."""
    result, error, started, clock = sent.result, sent.error, sent.started, sent.clock
    outcomes = list(result.outcomes) if result is not None else []
    links: list[dict[str, Any]] = []
    done: list[int] = []
    failures: dict[str, list[int]] = defaultdict(list)
    final: dict[str, list[int]] = defaultdict(list)
    # The Hubwire ids behind each reason, for the log: a user finds the record to fix.
    named: dict[str, list[str]] = defaultdict(list)
    now = utcnow()
    async with deps.db.session() as session:
        taken = await id_map_by_external(
            session, target.id, obj.name, [o.external_id for o in outcomes if o.external_id]
        )
        claimed_here: dict[str, str] = {}
        for index, work in enumerate(batch):
            outcome = outcomes[index] if index < len(outcomes) else None
            hub_id = work.record.hubwire_id or ""
            if outcome is None:
                failures[error or "the connector returned no outcome"].extend(work.item_ids)
                continue
            if not outcome.ok or not outcome.external_id:
                failures[outcome.error or "no provider id returned"].extend(work.item_ids)
                named[outcome.error or "no provider id returned"].append(hub_id)
                continue
            owner = taken.get(outcome.external_id)
            other = owner.hubwire_id if owner is not None else None
            other = claimed_here.get(outcome.external_id, other)
            if other is not None and other != hub_id:
                # The provider merged it into a record another Hubwire record is linked
                # to (two leads with one email): retrying cannot change that.
                reason = f"the provider stored it as {outcome.external_id}, the record of {other}"
                final[reason].extend(work.item_ids)
                continue
            claimed_here[outcome.external_id] = hub_id
            links.append(
                {
                    "connection_id": target.id,
                    "object_type": obj.name,
                    "hubwire_id": hub_id,
                    "external_id": outcome.external_id,
                    "external_key": outcome.external_key,
                    "fields_hash": fields_hash(work.record),
                    # The provider's time of this write, when it said: a pull that finds the
                    # record still at it holds what was pushed (sync/engine/pull.py).
                    "remote_updated_at": aware(outcome.updated_at),
                    "synced_at": now,
                }
            )
            done.extend(work.item_ids)
        await upsert_id_map(session, links)
        if done:
            await session.execute(
                update(SyncItem)
                .where(SyncItem.id.in_(done))
                .values(state="done", done_at=now, error=None)
            )
        max_attempts = deps.settings.sync_max_attempts
        retry_base = deps.settings.sync_retry_base_seconds
        for reason, item_ids in failures.items():
            await _fail_in(session, item_ids, reason, max_attempts, retry_base)
        for reason, item_ids in final.items():
            await _fail_in(session, item_ids, reason, 1, retry_base)
        failed = len(batch) - len(links)
        add_log(
            session,
            target,
            kind="push",
            object_type=obj.name,
            processed=len(links),
            failed=failed,
            provider_calls=sent.calls,
            duration_ms=int((time.monotonic() - clock) * 1000),
            message=error
            or "; ".join(
                f"{reason} ({', '.join(named[reason][:3])})" if named.get(reason) else reason
                for reason in [*failures, *final][:3]
            ),
        )
        await touch_synced(session, target.id)
    stats.pushed += len(links)
    stats.failed += len(batch) - len(links)
    report(
        target,
        object_type=obj.name,
        direction="push",
        processed=len(links),
        failed=len(batch) - len(links),
        started_at=started,
        error=error,
    )


async def _fail_in(
    session: AsyncSession, item_ids: list[int], reason: str, max_attempts: int, retry_base: float
) -> None:
    """One more attempt for each item; ``failed`` once it reaches ``max_attempts``, else
    due again after ``retry_base`` seconds, doubled per earlier failure."""
    now = utcnow()
    # Items of one call may have failed before a different number of times.
    next_at = case(
        {
            tries: now + timedelta(seconds=retry_delay(retry_base, tries + 1))
            for tries in range(max_attempts)
        },
        value=SyncItem.attempts,
        else_=now + timedelta(seconds=retry_delay(retry_base, max_attempts)),
    )
    await session.execute(
        update(SyncItem)
        .where(SyncItem.id.in_(item_ids))
        .values(
            attempts=SyncItem.attempts + 1,
            error=reason[:500],
            state=case((SyncItem.attempts + 1 >= max_attempts, "failed"), else_="pending"),
            next_attempt_at=next_at,
        )
    )


def retry_delay(base: float, failures: int) -> float:
    """Seconds before the next try of an item that has failed ``failures`` times."""
    return min(base * 2.0 ** (failures - 1), MAX_RETRY_DELAY_SECONDS)


async def _fail_items(
    deps: SyncDeps,
    item_ids: list[int],
    reason: str,
    *,
    max_attempts: int = 1,
    final: bool = False,
    backoff: bool = True,
) -> None:
    async with deps.db.session() as session:
        await _fail_in(
            session,
            item_ids,
            reason,
            1 if final else max_attempts,
            deps.settings.sync_retry_base_seconds if backoff else 0.0,
        )
