"""What push and pull share: the engine's dependencies, the connection as the engine sees
it, provider calls with their retry rules, and the id map and log writes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, TypeVar

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import (
    AuthFailed,
    CallBudget,
    ConnectionContext,
    Connector,
    ObjectSpec,
    ProviderRateLimited,
    SyncResult,
)
from core.connections.models import Connection, ExternalRecord, SyncLog
from core.database import Database, dialect_insert, utcnow
from core.errors import HubwireError
from core.plugins.manager import connector_registry, report_sync_result
from core.schemas import ApiInput
from core.settings import Settings
from sync.budget import Budgets, CountingBudget
from sync.engine.lease import Leases

logger = logging.getLogger("hubwire.sync")

T = TypeVar("T")

# A 429 without Retry-After waits this long; after this many 429s in a row for one call the
# step stops (its work stays pending for the next run) instead of holding the lease forever.
DEFAULT_RETRY_AFTER_SECONDS = 1.0
MAX_RATE_LIMITED_RETRIES = 10


class Vault(Protocol):
    """``core.connections.credentials.CredentialVault`` as the engine uses it."""

    async def context(
        self, connection_id: str, *, budget: CallBudget | None = None
    ) -> ConnectionContext: ...

    async def refresh_after_rejection(
        self, connection_id: str, rejected_access_token: str
    ) -> None: ...


# The hub objects a pull upserts into Hubwire (sync/engine/pull.py, appointments.py, payments.py).
# Calls are not: the provider's calls and deals have no Hubwire record to upsert that is not
# already pushed from Hubwire.
PULLED_HUB_OBJECTS = ("lead", "appointment", "payment")


def pulls(spec: ObjectSpec) -> bool:
    """Whether the engine pulls this object: it pulls and mirrors a pulled hub object."""
    return spec.direction.pulls and spec.hub_object in PULLED_HUB_OBJECTS


@dataclass(frozen=True, slots=True)
class SyncDeps:
    """Everything a sync step needs; built once per process (``WorkerRuntime.sync``, the
    CLI) and shared by its steps, so budgets and leases are per process, not per task."""

    db: Database
    settings: Settings
    vault: Vault
    leases: Leases
    budgets: Budgets


class Progress(Protocol):
    """Told what a long sync does (the CLI's progress bar, a job's percent)."""

    def pulled(self, object_type: str, records: int) -> None: ...

    def push_total(self, pending: int) -> None: ...

    def pushed(self, items: int) -> None: ...


class NoProgress:
    def pulled(self, object_type: str, records: int) -> None:
        return None

    def push_total(self, pending: int) -> None:
        return None

    def pushed(self, items: int) -> None:
        return None


class SyncStopped(Exception):
    """The provider cannot be used right now (credentials refused twice, rate limited past
    patience, connection unavailable): the step stops and its work stays pending."""


@dataclass(frozen=True, slots=True)
class Target:
    """A connection as the engine sees it, read at the start of a step."""

    id: str
    workspace_id: str
    status: str
    connector: Connector
    concurrency_limit: int
    field_mapping: Mapping[str, str]

    @property
    def slug(self) -> str:
        return self.connector.slug

    @property
    def objects(self) -> tuple[ObjectSpec, ...]:
        return self.connector.manifest.objects

    def object(self, name: str) -> ObjectSpec | None:
        return self.connector.manifest.object(name)

    @property
    def primary_lead_object(self) -> ObjectSpec | None:
        """The provider object leads are (``contact``): the first lead object that pushes,
        else the first lead object. Calls and other lead objects (a deal) point at it."""
        leads = [o for o in self.objects if o.hub_object == "lead"]
        pushing = [o for o in leads if o.direction.pushes]
        found = pushing or leads
        return found[0] if found else None

    def pulling_objects(self, only: str | None = None) -> list[ObjectSpec]:
        return [o for o in self.objects if pulls(o) and (only is None or o.name == only)]

    def pushing_objects(self) -> list[ObjectSpec]:
        """Pushing objects, the primary lead object first (calls and deals refer to it)."""
        primary = self.primary_lead_object
        ordered = [o for o in self.objects if o.direction.pushes]
        return sorted(ordered, key=lambda o: (o is not primary, o.hub_object != "lead"))


class UnknownConnection(HubwireError):
    code, status = "NOT_FOUND", 404


class ConnectorMissing(HubwireError):
    code, status = "CONFLICT", 409


async def load_target(db: Database, connection_id: str) -> Target:
    """The connection and its connector; ``UnknownConnection`` / ``ConnectorMissing``."""
    async with db.session() as session:
        connection = await session.get(Connection, connection_id)
        if connection is None:
            raise UnknownConnection(f"Connection {connection_id} does not exist.")
        connector = connector_registry().get(connection.connector)
        if connector is None:
            raise ConnectorMissing(
                f"Connector {connection.connector!r} of {connection_id} is not installed."
            )
        return Target(
            id=connection.id,
            workspace_id=connection.workspace_id,
            status=connection.status,
            connector=connector,
            concurrency_limit=max(1, connection.concurrency_limit or 1),
            field_mapping=dict(connection.field_mapping or {}),
        )


async def connection_status(db: Database, connection_id: str) -> str | None:
    async with db.session() as session:
        status: str | None = await session.scalar(
            select(Connection.status).where(Connection.id == connection_id)
        )
        return status


class Caller:
    """Provider calls for one connection: a fresh context (credentials refreshed when due)
    with the connection's shared budget, 429s waited out, one re-authentication after a
    401. Not an attempt against the work: none of these is the record's fault."""

    def __init__(self, deps: SyncDeps, target: Target) -> None:
        self.deps = deps
        self.target = target
        self.budget = deps.budgets.for_connection(target.id, target.connector.manifest)

    async def _context(self, budget: CallBudget) -> ConnectionContext:
        try:
            ctx = await self.deps.vault.context(self.target.id, budget=budget)
        except HubwireError as exc:  # ConnectionUnavailable: pending, error, gone
            raise SyncStopped(exc.message) from exc
        if self.target.field_mapping:
            # Stored per connection and handed to the connector, which owns the provider's
            # property names (the engine's records always use Hubwire's names).
            ctx = replace(
                ctx, settings={**ctx.settings, "field_mapping": dict(self.target.field_mapping)}
            )
        return ctx

    async def call(
        self, operation: Callable[[ConnectionContext], Awaitable[T]], counter: CountingBudget
    ) -> T:
        ctx = await self._context(counter)
        reauthenticated = False
        limited = 0
        while True:
            try:
                return await operation(ctx)
            except ProviderRateLimited as exc:
                limited += 1
                if limited > MAX_RATE_LIMITED_RETRIES:
                    raise SyncStopped(f"rate limited {limited} times in a row") from exc
                wait = exc.retry_after
                logger.info(
                    "%s %s: provider rate limited, waiting %.1f s",
                    self.target.slug,
                    self.target.id,
                    wait or DEFAULT_RETRY_AFTER_SECONDS,
                )
                await asyncio.sleep(max(0.0, wait or DEFAULT_RETRY_AFTER_SECONDS))
            except AuthFailed as exc:
                token = ctx.credentials.get("access_token")
                if reauthenticated or token is None:
                    raise SyncStopped(f"the provider refused the credentials: {exc}") from exc
                reauthenticated = True
                try:
                    await self.deps.vault.refresh_after_rejection(self.target.id, token)
                except HubwireError as refresh_error:
                    raise SyncStopped(refresh_error.message) from refresh_error
                ctx = await self._context(counter)

    def counter(self) -> CountingBudget:
        return CountingBudget(self.budget, self.target.slug)


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def id_map(
    session: AsyncSession, connection_id: str, object_type: str, hubwire_ids: Iterable[str]
) -> dict[str, ExternalRecord]:
    """The id map rows of these Hubwire records, by Hubwire id."""
    return await _id_map_rows(session, connection_id, object_type, "hubwire_id", hubwire_ids)


async def id_map_by_external(
    session: AsyncSession, connection_id: str, object_type: str, external_ids: Iterable[str]
) -> dict[str, ExternalRecord]:
    """The id map rows of these provider records, by provider id."""
    return await _id_map_rows(session, connection_id, object_type, "external_id", external_ids)


async def id_map_by_key(
    session: AsyncSession, connection_id: str, object_type: str, external_keys: Iterable[str]
) -> dict[str, ExternalRecord]:
    """The id map rows of these provider records, by their second id (``external_key``)."""
    return await _id_map_rows(session, connection_id, object_type, "external_key", external_keys)


async def _id_map_rows(
    session: AsyncSession,
    connection_id: str,
    object_type: str,
    key: Literal["hubwire_id", "external_id", "external_key"],
    values: Iterable[str],
) -> dict[str, ExternalRecord]:
    wanted = list(set(values))
    if not wanted:
        return {}
    column = getattr(ExternalRecord, key)
    rows = await session.scalars(
        select(ExternalRecord).where(
            ExternalRecord.connection_id == connection_id,
            ExternalRecord.object_type == object_type,
            column.in_(wanted),
        )
    )
    return {getattr(row, key): row for row in rows}


async def upsert_id_map(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Links (connection, object, hubwire_id) to its provider record; the caller has made
    sure no other Hubwire record holds the same provider id. A row without an
    ``external_key`` keeps the one it had."""
    if not rows:
        return
    insert = dialect_insert(session)
    stmt = insert(ExternalRecord)
    stmt = stmt.on_conflict_do_update(
        index_elements=["connection_id", "object_type", "hubwire_id"],
        set_={
            "external_id": stmt.excluded.external_id,
            "external_key": func.coalesce(stmt.excluded.external_key, ExternalRecord.external_key),
            "fields_hash": stmt.excluded.fields_hash,
            "remote_updated_at": stmt.excluded.remote_updated_at,
            "synced_at": stmt.excluded.synced_at,
        },
    )
    await session.execute(stmt, [{"external_key": None, **row} for row in rows])


def add_log(
    session: AsyncSession,
    target: Target,
    *,
    kind: str,
    object_type: str | None,
    processed: int,
    failed: int,
    provider_calls: int,
    duration_ms: int,
    message: str = "",
    level: str | None = None,
) -> None:
    session.add(
        SyncLog(
            connection_id=target.id,
            workspace_id=target.workspace_id,
            level=level or ("warning" if failed else "info"),
            kind=kind,
            object_type=object_type,
            processed=processed,
            failed=failed,
            provider_calls=provider_calls,
            duration_ms=duration_ms,
            message=message[:500],
        )
    )


async def touch_synced(session: AsyncSession, connection_id: str) -> None:
    await session.execute(
        update(Connection).where(Connection.id == connection_id).values(last_synced_at=utcnow())
    )


# A stop repeated within this long (the sweeper retries every few seconds) is not logged
# again: one line says the connection is stuck, not one per sweep.
STOP_LOG_QUIET_SECONDS = 600


async def log_stop(db: Database, target: Target, kind: str, reason: str) -> None:
    """A step that stopped leaves a line in the connection's log (what the user sees)."""
    message = f"stopped: {reason}"[:500]
    async with db.session() as session:
        repeated = await session.scalar(
            select(SyncLog.id).where(
                SyncLog.connection_id == target.id,
                SyncLog.kind == kind,
                SyncLog.message == message,
                SyncLog.created_at >= utcnow() - timedelta(seconds=STOP_LOG_QUIET_SECONDS),
            )
        )
        if repeated is not None and kind == "push":
            return
        add_log(
            session,
            target,
            kind=kind,
            object_type=None,
            processed=0,
            failed=0,
            provider_calls=0,
            duration_ms=0,
            message=message,
            level="error",
        )


def report(
    target: Target,
    *,
    object_type: str,
    direction: str,
    processed: int,
    failed: int,
    started_at: datetime,
    cursor: str | None = None,
    error: str | None = None,
) -> None:
    """Tells the ``hubwire_sync_result`` observers, after the step's commit."""
    report_sync_result(
        SyncResult(
            connector=target.slug,
            connection_id=target.id,
            workspace_id=target.workspace_id,
            object_type=object_type,
            direction="push" if direction == "push" else "pull",
            processed=processed,
            failed=failed,
            cursor=cursor,
            error=error,
            started_at=started_at,
            finished_at=utcnow(),
        )
    )


@dataclass(frozen=True, slots=True)
class Related:
    """What a record points at: ``{"lead": <contact id>}``; ``missing`` names the Hubwire
    lead it needs but that the provider does not hold yet (pushed later, then retried)."""

    ids: Mapping[str, str]
    missing: str | None = None


async def related_links(
    session: AsyncSession, target: Target, obj: ObjectSpec, rows: Mapping[str, Any]
) -> dict[str, Related]:
    """The related ids of each Hubwire row (by id) pushed or pulled as ``obj``: calls,
    appointments and secondary lead objects (a deal) point at the lead's record in the
    primary lead object."""
    primary = target.primary_lead_object
    if primary is None or (obj.hub_object == "lead" and obj.name == primary.name):
        return {hub_id: Related({}) for hub_id in rows}
    lead_of: dict[str, str | None] = {
        hub_id: (hub_id if obj.hub_object == "lead" else getattr(row, "lead_id", None))
        for hub_id, row in rows.items()
    }
    links = await id_map(
        session, target.id, primary.name, [lead for lead in lead_of.values() if lead]
    )
    result: dict[str, Related] = {}
    for hub_id, lead_id in lead_of.items():
        if lead_id is None:
            result[hub_id] = Related({})
        elif lead_id in links:
            result[hub_id] = Related({"lead": links[lead_id].external_id})
        else:
            result[hub_id] = Related({}, missing=lead_id)
    return result


def validated_input(model: type[ApiInput], fields: Mapping[str, Any]) -> Any:
    """``model`` (an API input) from a provider's fields as the API would accept them; a
    value Hubwire refuses (a malformed phone, an unknown status) is left out rather than
    failing the record."""
    data = dict(fields)
    names = {(info.alias or name): name for name, info in model.model_fields.items()}
    for _ in range(len(model.model_fields) + 1):
        try:
            return model(**data)
        except ValidationError as exc:
            bad = {
                names.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors() if e.get("loc")
            }
            if not bad & set(data):
                raise
            for name in bad:
                data.pop(name, None)
    return model(**data)
