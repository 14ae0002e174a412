"""The recorder's transaction survives a connection the database dropped: the pool pings
only connections that sat idle, so the write is retried on a fresh one."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import text

from core.database import Database
from core.migrations.runner import upgrade_async
from core.settings import Settings
from core.webhooks.retry import policy_for
from sync.pipeline.recorder import HeldDelivery, write_outcomes
from tests.support.servers import postgres_database

pytestmark = pytest.mark.postgres


async def test_a_batch_is_written_after_the_database_dropped_the_connection() -> None:
    async with postgres_database() as url:
        await upgrade_async(url)
        settings = Settings(_env_file=None, database_url=url)
        db = Database(url)
        admin = Database(url)
        try:
            # The pool's only connection, then dropped as a server restart drops it.
            async with db.session() as session:
                pid = await session.scalar(text("SELECT pg_backend_pid()"))
            async with admin.session() as session:
                await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                async with admin.session() as session:
                    alive = await session.scalar(
                        text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                        {"pid": pid},
                    )
                if not alive:
                    break
                await asyncio.sleep(0.05)
            # A dead letter without a try: one UPDATE, the recorder's smallest write.
            policy = policy_for(None, schedule=settings.webhook_retry_schedule, timeout=5)
            job = HeldDelivery("msg_gone", None, 0, policy, None, "No callback secret.")
            recorded = await write_outcomes(db, settings, [(job, None)])
            assert recorded.retry_at is None and not recorded.opened
            async with db.session() as session:
                assert await session.scalar(text("SELECT pg_backend_pid()")) != pid
        finally:
            await db.dispose()
            await admin.dispose()
