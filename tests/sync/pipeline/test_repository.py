"""The delivery engine's bulk statements keep a sound plan when PostgreSQL's statistics
are stale: analysed in a quiet moment (nothing pending, nothing undispatched), then hit by
a burst. A constant test on the updated table let the planner start a nested loop from it
(it believed that side empty) and compare every pending row with every row of the batch in
a join filter: 100-340 ms per batch of 500 in the webhook bench (auto_explain), a third of
the engine's rate. The updated rows must be matched by a hash or the primary key, never by
a filter over all pairs. (On this small table the planner happens to hash the old results
statement; the old take statement shows the nested loop here too.)"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database, utcnow
from core.events.models import Event
from core.migrations.runner import upgrade_async
from core.webhooks.models import Delivery, Webhook
from core.workspaces.service import workspaces
from sync.pipeline.repository import (
    PG_APPLY_RESULTS,
    DeliveryQueueRepository,
    OutboxRepository,
)
from tests.support.servers import postgres_database

pytestmark = pytest.mark.postgres
QUIET_ROWS = 3000
BATCH = 500


@pytest.fixture
async def quiet_database() -> AsyncIterator[Database]:
    """A database of its own whose statistics say: every event dispatched, every delivery
    finished."""
    async with postgres_database() as url:
        await upgrade_async(url)
        db = Database(url)
        try:
            async with db.session() as session:
                workspace = await workspaces.create(
                    session, slug="plans", contact_email="plans@example.com"
                )
                hook = Webhook(
                    workspace_id=workspace.id, url="https://example.com/h", secret_sealed="x"
                )
                session.add(hook)
                await session.flush()
                now = utcnow()
                await session.execute(
                    insert(Event),
                    [
                        {
                            "id": f"evt_{n}",
                            "workspace_id": workspace.id,
                            "type": "lead.created",
                            "data": {},
                            "occurred_at": now,
                            "dispatched_at": now,
                        }
                        for n in range(QUIET_ROWS)
                    ],
                )
                await session.execute(
                    insert(Delivery),
                    [
                        {
                            "id": f"msg_{n}",
                            "workspace_id": workspace.id,
                            "webhook_id": hook.id,
                            "event_id": f"evt_{n}",
                            "event_type": "lead.created",
                            "url": hook.url,
                            "payload": "{}",
                            "status": "succeeded",
                            "attempts": 1,
                            "next_attempt_at": None,
                            "completed_at": now,
                        }
                        for n in range(QUIET_ROWS)
                    ],
                )
            async with db.engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("ANALYZE events, webhook_deliveries"))
            yield db
        finally:
            await db.dispose()


async def _plan(session: AsyncSession, statement: Any) -> str:
    """EXPLAIN of a statement as the worker's prepared statements run it after their first
    few executions: planned generically, without the parameters' values (an array's length
    is unknown to the planner), so the values given here do not matter."""
    connection = await session.connection()
    sql = str(statement.compile(dialect=connection.dialect))
    parameters = len(set(re.findall(r"\$\d+", sql)))
    await connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    await connection.exec_driver_sql(f"PREPARE plan_probe AS {sql}")
    try:
        nulls = ", ".join(["NULL"] * parameters)
        result = await connection.exec_driver_sql(f"EXPLAIN EXECUTE plan_probe({nulls})")
        return "\n".join(row[0] for row in result)
    finally:
        await connection.exec_driver_sql("DEALLOCATE plan_probe")


async def test_results_find_deliveries_by_primary_key(quiet_database: Database) -> None:
    async with quiet_database.session() as session:
        plan = await _plan(session, PG_APPLY_RESULTS)
        await session.rollback()
    assert "Join Filter" not in plan, plan
    assert "Hash Cond" in plan or "pk_webhook_deliveries" in plan, plan


async def test_taking_events_and_claiming_deliveries_go_by_primary_key(
    quiet_database: Database,
) -> None:
    async with quiet_database.session() as session:
        take = await _plan(session, OutboxRepository(session).take_statement())
        claim = await _plan(session, DeliveryQueueRepository(session).claim_statement())
        await session.rollback()
    # The updated table is matched to the taken ids by a hash or its primary key.
    for plan in (take, claim):
        assert "Join Filter" not in plan, plan
        assert "Hash Cond" in plan or "Index Scan using pk_" in plan, plan
    # The claim reads each endpoint's rows through its indexes, whatever the statistics
    # say, and never sorts the backlog (the ranking did, on every claim).
    assert "ix_webhook_deliveries_endpoint_due" in claim, claim
    assert "ix_webhook_deliveries_endpoint_leased" in claim, claim
    assert "Seq Scan on webhook_deliveries" not in claim, claim
    assert "Sort Key: (COALESCE" not in claim, claim
