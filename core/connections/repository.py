from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, ExternalRecord, SyncCursor, SyncItem, SyncLog
from core.connections.schemas import ConnectionFilters, LogFilters
from core.listing import Sorting
from core.timeseries import time_bucket

CONNECTION_SORTING = Sorting(
    fields={"createdAt": Connection.created_at, "updatedAt": Connection.updated_at},
    id_column=Connection.id,
)
LOG_SORTING = Sorting(fields={"createdAt": SyncLog.created_at}, id_column=SyncLog.id)
# The log kinds that are sync steps (moved records), as opposed to connection events.
STEP_KINDS = ("push", "pull")


@dataclass(frozen=True, slots=True)
class LogTotals:
    pushed: int
    pulled: int
    failed: int
    provider_calls: int
    average_duration_ms: float | None


@dataclass(frozen=True, slots=True)
class DayRow:
    connection_id: str
    day: str
    pushed: int
    pulled: int
    failed: int
    provider_calls: int


def _sum_where(condition: Any, column: Any) -> Any:
    return func.coalesce(func.sum(case((condition, column), else_=0)), 0)


class ConnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, connection: Connection) -> None:
        self.session.add(connection)

    async def get(self, workspace_id: str, connection_id: str) -> Connection | None:
        return await self.session.scalar(
            select(Connection).where(
                Connection.workspace_id == workspace_id, Connection.id == connection_id
            )
        )

    async def by_id(self, connection_id: str) -> Connection | None:
        return await self.session.scalar(select(Connection).where(Connection.id == connection_id))

    async def by_state_hash(self, state_hash: str) -> Connection | None:
        """The connection whose consent is in flight with this state (a new one, or a
        reconnect of any status), row-locked (PostgreSQL) so two callbacks with the same state
        cannot both complete it; completing it clears the state."""
        return await self.session.scalar(
            select(Connection).where(Connection.oauth_state_hash == state_hash).with_for_update()
        )

    async def record_consent_failure(self, connection_id: str, state_hash: str, error: str) -> None:
        """Notes why a consent did not complete, unless another callback completed it."""
        await self.session.execute(
            update(Connection)
            .where(
                Connection.id == connection_id,
                Connection.oauth_state_hash == state_hash,
                Connection.status == "pending",
            )
            .values(last_error=error[:500])
            .execution_options(synchronize_session=False)
        )

    def query(self, workspace_id: str, filters: ConnectionFilters) -> Select[tuple[Connection]]:
        stmt = select(Connection).where(Connection.workspace_id == workspace_id)
        if filters.connector is not None:
            stmt = stmt.where(Connection.connector == filters.connector)
        if filters.status is not None:
            stmt = stmt.where(Connection.status == filters.status)
        return filters.created.apply(stmt, Connection.created_at)

    async def in_workspace(self, workspace_id: str) -> Sequence[Connection]:
        stmt = (
            select(Connection)
            .where(Connection.workspace_id == workspace_id)
            .order_by(Connection.created_at, Connection.id)
        )
        return (await self.session.scalars(stmt)).all()

    async def with_pending_push(self, now: datetime) -> list[str]:
        """Active connections with push items due (paused ones keep theirs for later)."""
        rows = await self.session.scalars(
            select(Connection.id).where(
                Connection.status == "active",
                select(SyncItem.id)
                .where(
                    SyncItem.connection_id == Connection.id,
                    SyncItem.state == "pending",
                    item_due(now),
                )
                .exists(),
            )
        )
        return list(rows)

    async def last_pulls(
        self, connectors: Collection[str]
    ) -> list[tuple[str, datetime | None, datetime | None]]:
        """(id, time of its newest pull log line or None, ``pull_again_at``) of the active
        connections of these connectors: a pull that applied a page, or one that stopped,
        logs a line."""
        last_pull = (
            select(func.max(SyncLog.created_at))
            .where(SyncLog.connection_id == Connection.id, SyncLog.kind == "pull")
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(Connection.id, last_pull, Connection.pull_again_at).where(
                Connection.status == "active", Connection.connector.in_(connectors)
            )
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def delete(self, connection: Connection) -> None:
        """The connection and its sync state (work queue, log, id map, cursors)."""
        for model in (SyncItem, SyncLog, ExternalRecord, SyncCursor):
            await self.session.execute(delete(model).where(model.connection_id == connection.id))
        await self.session.delete(connection)


class SyncLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, log: SyncLog) -> None:
        self.session.add(log)

    def query(self, connection_id: str, filters: LogFilters) -> Select[tuple[SyncLog]]:
        stmt = select(SyncLog).where(SyncLog.connection_id == connection_id)
        if filters.kind is not None:
            stmt = stmt.where(SyncLog.kind == filters.kind)
        if filters.level is not None:
            stmt = stmt.where(SyncLog.level == filters.level)
        return filters.created.apply(stmt, SyncLog.created_at)

    async def totals(self, connection_id: str) -> LogTotals:
        step = SyncLog.kind.in_(STEP_KINDS)
        row = (
            await self.session.execute(
                select(
                    _sum_where(SyncLog.kind == "push", SyncLog.processed),
                    _sum_where(SyncLog.kind == "pull", SyncLog.processed),
                    _sum_where(step, SyncLog.failed),
                    func.coalesce(func.sum(SyncLog.provider_calls), 0),
                    func.avg(case((step, SyncLog.duration_ms), else_=None)),
                ).where(SyncLog.connection_id == connection_id)
            )
        ).one()
        average = row[4]
        return LogTotals(
            pushed=int(row[0]),
            pulled=int(row[1]),
            failed=int(row[2]),
            provider_calls=int(row[3]),
            average_duration_ms=None if average is None else round(float(average), 1),
        )

    async def provider_calls_since(self, connection_id: str, since: datetime) -> int:
        """Provider calls the connection's log counts from ``since`` on."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(SyncLog.provider_calls), 0)).where(
                SyncLog.connection_id == connection_id, SyncLog.created_at >= since
            )
        )
        return int(total or 0)

    async def per_day(
        self, connection_ids: Collection[str], start: datetime, end: datetime
    ) -> list[DayRow]:
        """Per connection and UTC day in ``[start, end)``: records pushed, pulled, failed
        and provider calls (days without a step are absent)."""
        if not connection_ids:
            return []
        day = time_bucket(self.session, SyncLog.created_at, "day").label("day")
        stmt = (
            select(
                SyncLog.connection_id,
                day,
                _sum_where(SyncLog.kind == "push", SyncLog.processed),
                _sum_where(SyncLog.kind == "pull", SyncLog.processed),
                _sum_where(SyncLog.kind.in_(STEP_KINDS), SyncLog.failed),
                func.coalesce(func.sum(SyncLog.provider_calls), 0),
            )
            .where(
                SyncLog.connection_id.in_(connection_ids),
                SyncLog.created_at >= start,
                SyncLog.created_at < end,
            )
            .group_by(SyncLog.connection_id, day)
        )
        return [
            DayRow(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]))
            for r in (await self.session.execute(stmt)).all()
        ]


class SyncItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def counts(self, connection_id: str) -> dict[str, int]:
        """How many push items are in each state."""
        rows = await self.session.execute(
            select(SyncItem.state, func.count())
            .where(SyncItem.connection_id == connection_id)
            .group_by(SyncItem.state)
        )
        return {str(state): int(count) for state, count in rows.all()}


def item_due(now: datetime) -> ColumnElement[bool]:
    """A push item's condition for being tried now: never failed, or its backoff is over."""
    return or_(SyncItem.next_attempt_at.is_(None), SyncItem.next_attempt_at <= now)
