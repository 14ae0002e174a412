"""Engine, sessions and the declarative base shared by every domain's models."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.types import TypeDecorator

from core.tasks import PendingTask, send_pending_tasks, send_tasks

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed while one writer commits; busy_timeout queues writers. The
    # embedded worker shares the file with the API: under a loaded machine a writer may
    # wait seconds for another's transaction, and waiting beats failing the request.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A pooled connection used this recently is taken as alive; one idle longer is pinged before
# use. SQLAlchemy's `pool_pre_ping` pings on every checkout: a round trip per request.
PING_AFTER_IDLE_SECONDS = 5.0


def _mark_checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in_at"] = monotonic()


def _ping_if_idle(
    dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    """Pings a connection that sat idle in the pool (a server restart or a dropped socket
    would make its first statement fail); a failed ping makes the pool discard it and
    check out another (`DisconnectionError`). A server gone while connections are busy
    fails the statements in flight, and the pool then drops every older connection."""
    checked_in = record.info.get("checked_in_at")
    if checked_in is not None and monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as exc:
        raise DisconnectionError("the pooled connection did not answer a ping") from exc


def _json_loads(raw: str | bytes) -> Any:
    """JSON columns are read with orjson (a list of leads decodes two per row; the standard
    library's decoder was a tenth of its CPU). orjson stops at 64-bit integers; a document
    with a larger one is read by the standard library instead."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Runs ``callback`` once this session's transaction has committed (never on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[Callable[[], None]] = session.info.pop("after_commit", [])
    for callback in callbacks:
        callback()
    send_pending_tasks(session)


def discard_after_commit(session: AsyncSession) -> None:
    """A rolled-back transaction's callbacks and tasks must never run."""
    session.info.pop("after_commit", None)
    session.info.pop("pending_tasks", None)


class ReadOnlySession(Session):
    """A session for reads outside a transaction (each statement commits on its own), so it
    refuses to flush: a write through it would not be atomic."""


@event.listens_for(ReadOnlySession, "before_flush")
def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only session cannot write; use the request's Session")


class Database:
    """Owns the engine and the session factory of one process."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo, "json_deserializer": _json_loads}
        if url.startswith("sqlite"):
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs.update(pool_size=10, max_overflow=20)
            # asyncpg prepares every statement; after five runs PostgreSQL may switch to one
            # generic plan for all parameter values, so a small workspace's list would run
            # the plan of a large one (a parallel scan of the table: 63 ms instead of 0.1 ms).
            # Planning each run costs well under a millisecond (docs/operations/scale.md).
            kwargs["connect_args"] = {"server_settings": {"plan_cache_mode": "force_custom_plan"}}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        sync_engine: Engine = self.engine.sync_engine
        if url.startswith("sqlite"):
            event.listen(sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(sync_engine.pool, "checkin", _mark_checked_in)
            event.listen(sync_engine.pool, "checkout", _ping_if_idle)
        # Every session can reach the task queue, so work is sent right after its commit.
        self.session_info: dict[str, Any] = {"task_queue": None}
        self.sessionmaker = async_sessionmaker(
            self.engine, expire_on_commit=False, info=self.session_info
        )
        # Reads without a transaction: a GET's statements need no BEGIN and COMMIT (two
        # round trips) on PostgreSQL. SQLite starts no transaction for a read anyway.
        self.read_sessionmaker = async_sessionmaker(
            self.engine
            if url.startswith("sqlite")
            else self.engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False,
            info=self.session_info,
            sync_session_class=ReadOnlySession,
        )

    def attach_task_queue(self, queue: Any) -> None:
        self.session_info["task_queue"] = queue

    def send_task(self, name: str, *args: Any) -> None:
        """Sends a task now, outside any transaction (for work already committed)."""
        send_tasks(self.session_info["task_queue"], [PendingTask(name, tuple(args))])

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work outside a request: commits on success, rolls back on error."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                discard_after_commit(session)
                raise
            run_after_commit(session)

    async def dispose(self) -> None:
        await self.engine.dispose()


def dialect_insert(session: AsyncSession) -> Any:
    """The backend's ``insert`` construct (both have ``on_conflict_do_*``)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def insert_ignoring_conflicts(session: AsyncSession, model: Any, conflict: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on either backend: a re-run never duplicates rows."""
    return dialect_insert(session)(model).on_conflict_do_nothing(index_elements=conflict)
