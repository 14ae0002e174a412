"""The session factories and the pool's liveness check (core/database.py)."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from core import database as database_module
from core.container import Services
from core.database import Database
from core.leads.models import Lead
from tests.support.servers import postgres_database


async def test_a_read_session_refuses_to_write(services: Services) -> None:
    async with services.db.read_sessionmaker() as session:
        assert (await session.scalar(text("SELECT 1"))) == 1
        session.add(Lead(workspace_id="ws_nope", name="Never written"))
        with pytest.raises(RuntimeError, match="read-only session cannot write"):
            await session.flush()


async def test_a_read_session_on_postgresql_sends_no_begin() -> None:
    async with postgres_database() as url:
        db = Database(url)
        try:
            # Two statements in one transaction share its id; outside one, each has its own.
            ids = "SELECT txid_current()"
            async with db.read_sessionmaker() as session:
                alone = [await session.scalar(text(ids)) for _ in range(2)]
            async with db.sessionmaker() as session:
                in_block = [await session.scalar(text(ids)) for _ in range(2)]
            assert alone[0] != alone[1]
            assert in_block[0] == in_block[1]
        finally:
            await db.dispose()


async def _terminate(url: str, pid: int) -> None:
    admin = await asyncpg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(False)
    )
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@pytest.mark.parametrize("idle_seconds", [0.0, 3600.0], ids=["pinged", "trusted"])
async def test_only_a_connection_idle_past_the_limit_is_pinged(
    monkeypatch: pytest.MonkeyPatch, idle_seconds: float
) -> None:
    """A connection the server dropped while it sat in the pool: past the idle limit the
    checkout pings it and takes another; within the limit (no ping, no round trip) the
    statement fails, and the pool then replaces its connections."""
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", idle_seconds)
    async with postgres_database() as url:
        db = Database(url)
        try:
            async with db.sessionmaker() as session:
                first_pid = await session.scalar(text("SELECT pg_backend_pid()"))
            await _terminate(url, int(first_pid or 0))
            if idle_seconds == 0.0:
                async with db.sessionmaker() as session:
                    second_pid = await session.scalar(text("SELECT pg_backend_pid()"))
                assert second_pid != first_pid
            else:
                with pytest.raises(DBAPIError):
                    async with db.sessionmaker() as session:
                        await session.scalar(text("SELECT pg_backend_pid()"))
                async with db.sessionmaker() as session:
                    second_pid = await session.scalar(text("SELECT pg_backend_pid()"))
                assert second_pid != first_pid
        finally:
            await db.dispose()


def test_json_columns_written_by_other_paths_with_huge_integers_still_read() -> None:
    """The API refuses integers past 64 bits, but a connector's pull may store one; the
    reader falls back to the standard library for such a document."""
    assert database_module._json_loads('{"n": 1180591620717411303424}') == {"n": 2**70}
    assert database_module._json_loads(b'["a", 1]') == ["a", 1]
