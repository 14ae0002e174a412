"""Pull: the provider's changes since a stored cursor, upserted into Hubwire's leads (or
appointments: sync/engine/appointments.py).

For each object that pulls, pages are read from the connection's ``SyncCursor`` on. Each
page is applied in ONE transaction together with the cursor that follows it: a worker that
dies mid-pull resumes from the last applied page, and re-applies at most the page it was
working on (idempotently: applying a record twice changes nothing the second time).

A pulled record is matched through the id map (provider id -> lead), else to a lead of the
workspace with the same email (linked), else a lead is created. Leads are written through
``core.leads.service`` so the usual ``lead.*`` events fire (webhooks, other connections).

Conflicts, last write wins: when Hubwire's lead changed since both sides last agreed
(its hash differs from the id map's) *and* it changed after the provider's record did (or
the provider's record is still at the modification time the id map keeps from the last
push or pull: nothing was edited there since), the provider's version is not applied;
Hubwire's pending push sends its own instead.

No echo: after applying, the id map's ``fields_hash`` is set to the hash of the lead as it
now is. The ``lead.updated`` event this causes fans out to this connection's push queue
like any other, and the push finds nothing changed and sends nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import ConnectionContext, Connector, ObjectSpec, PullPage, Record
from core.connections.models import Connection, ExternalRecord, SyncCursor, SyncItem
from core.connectors.inbound import delete_mirrored
from core.database import Database, utcnow
from core.ids import new_id
from core.leads.models import Lead
from core.leads.names import LeadNameConflict
from core.leads.schemas import LeadCreate, LeadUpdate
from core.leads.service import leads
from core.tasks import PUSH_TASK, enqueue_after_commit
from sync.engine.appointments import apply_appointment_page
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
    id_map_by_key,
    log_stop,
    related_links,
    report,
    touch_synced,
    upsert_id_map,
    validated_input,
)
from sync.engine.payments import apply_payment_page
from sync.engine.records import fields_hash, hub_record, pulled_lead_fields
from sync.engine.stats import PullStats

logger = logging.getLogger("hubwire.sync")


async def pull_locked(
    deps: SyncDeps,
    target: Target,
    *,
    only: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    caller: Caller | None = None,
) -> PullStats:
    """The pull itself; the caller holds the connection's lease."""
    stats = PullStats()
    caller = caller or Caller(deps, target)
    for obj in target.pulling_objects(only):
        try:
            await pull_object(deps, target, caller, obj, stats, full=full, progress=progress)
        except SyncStopped as exc:
            stats.stopped = str(exc)
            await log_stop(deps.db, target, "pull", str(exc))
            break
        except Exception as exc:
            # The provider failed in a way a later pull may not (a 5xx, a timeout): the
            # cursor stays at the last applied page; the next scheduled pull resumes there.
            logger.exception("%s pull of %s for %s failed", target.slug, obj.name, target.id)
            stats.stopped = f"{type(exc).__name__}: {exc}"[:300]
            await log_stop(deps.db, target, "pull", stats.stopped)
            break
    return stats


async def clear_pull_again(db: Database, connection_id: str, now: datetime) -> None:
    """This pull is the one a webhook asked for again (its ``pull_again_at`` has come)."""
    async with db.session() as session:
        await session.execute(
            update(Connection)
            .where(Connection.id == connection_id, Connection.pull_again_at <= now)
            .values(pull_again_at=None)
        )


async def _cursor(deps: SyncDeps, connection_id: str, object_type: str) -> str | None:
    async with deps.db.session() as session:
        value: str | None = await session.scalar(
            select(SyncCursor.cursor).where(
                SyncCursor.connection_id == connection_id, SyncCursor.object_type == object_type
            )
        )
        return value


async def pull_object(
    deps: SyncDeps,
    target: Target,
    caller: Caller,
    obj: ObjectSpec,
    stats: PullStats,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> None:
    """Pages through ``obj``'s changes until the provider has no more."""
    progress = progress or NoProgress()
    cursor = None if full else await _cursor(deps, target.id, obj.name)
    while True:
        status = await connection_status(deps.db, target.id)
        if status != "active":
            stats.stopped = f"connection is {status or 'gone'}"
            return
        started, clock = utcnow(), time.monotonic()
        counter = caller.counter()
        page = await caller.call(_puller(target.connector, obj.name, cursor), counter)
        next_cursor = page.next_cursor if page.next_cursor is not None else cursor
        stats.add(
            await _commit(
                deps,
                target,
                obj,
                page.records,
                page.deleted,
                (next_cursor,),
                counter.calls,
                clock,
                started,
            )
        )
        progress.pulled(obj.name, len(page.records))
        if not page.has_more:
            return
        if page.next_cursor is None or page.next_cursor == cursor:
            logger.error(
                "%s pull of %s: has_more without a new cursor; stopping", target.slug, obj.name
            )
            return
        cursor = page.next_cursor


async def pull_by_id(
    deps: SyncDeps,
    target: Target,
    caller: Caller,
    obj: ObjectSpec,
    external_ids: Sequence[str],
    stats: PullStats,
) -> None:
    """Reads these provider records by id (``connector.read``, ``obj.batch_size`` ids a
    call, each call through the connection's budget) and applies them as a page of a pull:
    last write wins (the module docstring). The cursor does not move. Push calls it for the
    records it is about to update (sync/engine/push.py)."""
    ids = list(dict.fromkeys(external_ids))
    for start in range(0, len(ids), obj.batch_size):
        chunk = ids[start : start + obj.batch_size]
        started, clock = utcnow(), time.monotonic()
        counter = caller.counter()
        records = await caller.call(_reader(target.connector, obj.name, chunk), counter)
        stats.add(
            await _commit(
                deps,
                target,
                obj,
                records,
                (),
                None,
                counter.calls,
                clock,
                started,
                note=f"read {len(chunk)} by id before a push",
            )
        )


async def _commit(
    deps: SyncDeps,
    target: Target,
    obj: ObjectSpec,
    records: Sequence[Record],
    deleted: Sequence[str],
    cursor: tuple[str | None] | None,
    calls: int,
    clock: float,
    started: datetime,
    note: str = "",
) -> PullStats:
    """Applies what one provider call returned in ONE transaction, with the cursor that
    follows it (``(cursor,)``; None: the cursor stays), its log line and ``last_synced_at``;
    then tells the sync-result observers."""
    async with deps.db.session() as session:
        page_stats = await apply_page(session, target, obj, records)
        for external_id in deleted:
            page_stats.deleted += await delete_mirrored(
                session,
                connection_id=target.id,
                workspace_id=target.workspace_id,
                object_type=obj.name,
                external_id=external_id,
            )
        if cursor is not None:
            await save_cursor(session, target.id, obj.name, cursor[0])
        add_log(
            session,
            target,
            kind="pull",
            object_type=obj.name,
            processed=len(records) - page_stats.failed,
            failed=page_stats.failed,
            provider_calls=calls,
            duration_ms=int((time.monotonic() - clock) * 1000),
            message="; ".join([note, *page_stats.errors[:3]] if note else page_stats.errors[:3]),
        )
        await touch_synced(session, target.id)
    page_stats.pages, page_stats.records = 1, len(records)
    page_stats.provider_calls = calls
    report(
        target,
        object_type=obj.name,
        direction="pull",
        processed=len(records) - page_stats.failed,
        failed=page_stats.failed,
        started_at=started,
        cursor=cursor[0] if cursor is not None else None,
    )
    return page_stats


def _reader(
    connector: Connector, object_type: str, external_ids: Sequence[str]
) -> Callable[[ConnectionContext], Awaitable[Sequence[Record]]]:
    async def read(ctx: ConnectionContext) -> Sequence[Record]:
        return await connector.read(ctx, object_type, external_ids)

    return read


def _puller(
    connector: Connector, object_type: str, cursor: str | None
) -> Callable[[ConnectionContext], Awaitable[PullPage]]:
    async def pull(ctx: ConnectionContext) -> PullPage:
        return await connector.pull(ctx, object_type, cursor)

    return pull


async def save_cursor(
    session: AsyncSession, connection_id: str, object_type: str, cursor: str | None
) -> None:
    row = await session.get(SyncCursor, (connection_id, object_type))
    if row is None:
        session.add(
            SyncCursor(
                connection_id=connection_id,
                object_type=object_type,
                cursor=cursor,
                updated_at=utcnow(),
            )
        )
    else:
        row.cursor = cursor
        row.updated_at = utcnow()


def _email(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


async def apply_page(
    session: AsyncSession, target: Target, obj: ObjectSpec, records: Sequence[Record]
) -> PullStats:
    """Upserts one page's records into the hub object ``obj`` mirrors."""
    if obj.hub_object == "appointment":
        return await apply_appointment_page(session, target, obj, records)
    if obj.hub_object == "payment":
        return await apply_payment_page(session, target, obj, records)
    return await apply_lead_page(session, target, obj, records)


async def apply_lead_page(
    session: AsyncSession, target: Target, obj: ObjectSpec, records: Sequence[Record]
) -> PullStats:
    """Upserts one page's records into Hubwire's leads (see the module docstring)."""
    stats = PullStats()
    latest: dict[str, Record] = {}
    for record in records:
        if record.external_id:
            latest[record.external_id] = record  # the page's last word on each record
        else:
            stats.failed += 1
            stats.errors.append("a pulled record has no provider id")
    mapped = await id_map_by_external(session, target.id, obj.name, latest)
    # A record the provider re-keyed (an address change at Mailchimp) is found by its
    # second id; applying it moves the id map row to the new id.
    keys = {
        record.external_key: ext
        for ext, record in latest.items()
        if ext not in mapped and record.external_key
    }
    for key, keyed in (await id_map_by_key(session, target.id, obj.name, keys)).items():
        mapped[keys[key]] = keyed
    lead_rows = await session.scalars(
        select(Lead).where(
            Lead.workspace_id == target.workspace_id,
            Lead.id.in_({row.hubwire_id for row in mapped.values()}),
        )
    )
    by_id: dict[str, Lead] = {lead.id: lead for lead in lead_rows}

    emails = {
        email
        for ext, record in latest.items()
        if ext not in mapped and (email := _email(record.fields.get("email")))
    }
    by_email: dict[str, Lead] = {}
    if emails:
        candidates = await session.scalars(
            select(Lead)
            .where(Lead.workspace_id == target.workspace_id, func.lower(Lead.email).in_(emails))
            .order_by(Lead.created_at, Lead.id)
        )
        for lead in candidates:
            by_email.setdefault(_email(lead.email) or "", lead)
    # Leads already linked to some provider record of this object cannot take another one.
    linked = set(
        await id_map(session, target.id, obj.name, [lead.id for lead in by_email.values()])
    )
    linked.update(row.hubwire_id for row in mapped.values())
    creating = (
        await _pushes_waiting(
            session, target, obj, [lead.id for lead in by_email.values() if lead.id not in linked]
        )
        if obj.create_makes_more
        else {}
    )

    for ext, record in latest.items():
        fields = pulled_lead_fields(record, obj.extra_fields)
        row = mapped.get(ext)
        try:
            if row is not None:
                existing = by_id.get(row.hubwire_id)
                if existing is None:
                    # Deleted in Hubwire: not resurrected (the id map row stays as the
                    # record of that decision).
                    stats.skipped += 1
                    continue
                await _apply(session, target, obj, existing, row, record, fields, stats)
                continue
            email = _email(fields.get("email"))
            match = by_email.get(email) if email else None
            if match is not None and match.id not in linked:
                linked.add(match.id)
                queued = creating.get(match.id)
                if queued is not None and (
                    record.updated_at is None or record.updated_at > queued - WHOLE_SECOND
                ):
                    # Most likely the record the lead's own create made, its outcome
                    # unrecorded (the worker died after the provider accepted it). Left to
                    # that push: its retry finds the record and links it, and finishes what
                    # the create makes besides (``ObjectSpec.create_makes_more``: Pipedrive's
                    # lead on a new person). Linked here, the retry found the link with
                    # nothing changed and never made that rest.
                    stats.skipped += 1
                    continue
                stats.linked += 1
                await _apply(session, target, obj, match, None, record, fields, stats)
                continue
            data = validated_input(LeadCreate, {**fields, "source": target.slug})
            created = await leads.create(session, workspace_id=target.workspace_id, data=data)
            linked.add(created.id)
            if email:
                by_email.setdefault(email, created)
            stats.created += 1
            await _link(session, target, obj, created, ext, record, agreed=True)
        except (ValidationError, ValueError, LeadNameConflict) as exc:
            stats.failed += 1
            stats.errors.append(f"{ext}: {exc}".splitlines()[0][:200])
    return stats


# Providers that keep whole seconds (Pipedrive's ``update_time``) put a record written
# just after the push was queued up to a second before it.
WHOLE_SECOND = timedelta(seconds=1)


async def _pushes_waiting(
    session: AsyncSession, target: Target, obj: ObjectSpec, lead_ids: Sequence[str]
) -> dict[str, datetime]:
    """Of these leads (not linked to a record of ``obj``), those with a push of ``obj``
    still pending on this connection: when the oldest was queued."""
    if not lead_ids:
        return {}
    rows = await session.execute(
        select(SyncItem.hubwire_id, func.min(SyncItem.created_at))
        .where(
            SyncItem.connection_id == target.id,
            SyncItem.object_type == obj.name,
            SyncItem.state == "pending",
            SyncItem.hubwire_id.in_(lead_ids),
        )
        .group_by(SyncItem.hubwire_id)
    )
    return {hubwire_id: queued for hubwire_id, queued in rows}


async def _apply(
    session: AsyncSession,
    target: Target,
    obj: ObjectSpec,
    lead: Lead,
    row: ExternalRecord | None,
    record: Record,
    fields: dict[str, Any],
    stats: PullStats,
) -> None:
    """Applies a provider record to its lead, unless Hubwire's later change wins."""
    assert record.external_id is not None
    current = await _hash(session, target, obj, lead)
    hubwire_changed = row is None or row.fields_hash != current
    remote_at = aware(record.updated_at)
    # Still at the time of the last write or pull both sides agreed on: the provider holds
    # what Hubwire pushed, and a Hubwire edit stamped earlier than the provider's write (made
    # while that push was in flight) is still the later one.
    unchanged_there = row is not None and aware(row.remote_updated_at) == remote_at
    if (
        hubwire_changed
        and remote_at is not None
        and (lead.updated_at > remote_at or unchanged_there)
    ):
        # Last write wins, and Hubwire's was last: keep it and make sure it is pushed.
        stats.kept += 1
        await _revoke(session, target, lead, fields, remote_at)
        if row is None or row.external_id != record.external_id:
            await _link(session, target, obj, lead, record.external_id, record, agreed=False)
        if row is None:
            _queue_push(session, target, obj, lead.id)
        return
    validated = validated_input(LeadUpdate, fields).model_dump(exclude_unset=True)
    if validated.get("email_consent") == lead.email_consent:
        # The same consent reported back keeps where it was given (a form, not the tool).
        validated.pop("email_consent_source", None)
    diff = {k: v for k, v in validated.items() if getattr(lead, k) != v}
    if diff:
        lead = await leads.update(
            session,
            workspace_id=target.workspace_id,
            lead_id=lead.id,
            data=LeadUpdate(**diff),
        )
        stats.updated += 1
    else:
        stats.unchanged += 1
    await _link(session, target, obj, lead, record.external_id, record, agreed=True)


async def _revoke(
    session: AsyncSession,
    target: Target,
    lead: Lead,
    fields: dict[str, Any],
    remote_at: datetime,
) -> None:
    """A consent revocation the provider reports (an unsubscribe, a bounce) applies even
    when Hubwire's later edit wins the other fields: consent is given again only by an
    explicit consent change made after it (``email_consent_at`` in a later second than the
    provider's change: Mailchimp's times have whole seconds, and within one second the
    revocation wins), never by an unrelated edit (docs/operations/sync.md, "Consent")."""
    if fields.get("email_consent") != "revoked" or lead.email_consent == "revoked":
        return
    changed_at = aware(lead.email_consent_at)
    if changed_at is not None and changed_at.replace(microsecond=0) > remote_at:
        return
    consent = {k: v for k, v in fields.items() if k in ("email_consent", "email_consent_source")}
    await leads.update(
        session,
        workspace_id=target.workspace_id,
        lead_id=lead.id,
        data=validated_input(LeadUpdate, consent),
    )


async def _hash(session: AsyncSession, target: Target, obj: ObjectSpec, lead: Lead) -> str:
    related = (await related_links(session, target, obj, {lead.id: lead}))[lead.id]
    return fields_hash(
        hub_record(obj.hub_object, lead, obj.name, related=related.ids, extra=obj.extra_fields)
    )


async def _link(
    session: AsyncSession,
    target: Target,
    obj: ObjectSpec,
    lead: Lead,
    external_id: str,
    record: Record,
    *,
    agreed: bool,
) -> None:
    """Writes the id map row. ``agreed``: both sides now hold the lead as it is, so its
    hash is stored (a push of it is an echo); otherwise no hash (the push sends it)."""
    await upsert_id_map(
        session,
        [
            {
                "connection_id": target.id,
                "object_type": obj.name,
                "hubwire_id": lead.id,
                "external_id": external_id,
                "external_key": record.external_key,
                "fields_hash": await _hash(session, target, obj, lead) if agreed else None,
                "remote_updated_at": aware(record.updated_at),
                "synced_at": utcnow(),
            }
        ],
    )


def _queue_push(session: AsyncSession, target: Target, obj: ObjectSpec, lead_id: str) -> None:
    """A lead matched by email whose Hubwire version is newer has perhaps never been
    pushed (it predates the connection): queue it, so both sides converge."""
    if not obj.direction.pushes:
        return
    session.add(
        SyncItem(
            connection_id=target.id,
            object_type=obj.name,
            hubwire_id=lead_id,
            event_id=new_id("pull"),
            state="pending",
            attempts=0,
            created_at=utcnow(),
        )
    )
    enqueue_after_commit(session, PUSH_TASK, target.id)
