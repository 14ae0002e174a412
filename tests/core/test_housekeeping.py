from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from core.container import Services
from core.database import utcnow
from core.idempotency.models import IdempotencyRecord
from core.usage.models import UsageLog
from tests.conftest import Api, Tenant


async def test_housekeeping_purges_expired_records_and_old_usage(
    api: Api, services: Services, tenant: Tenant
) -> None:
    key = str(uuid.uuid4())
    await api.post("/v1/leads", json={"name": "Kept?"}, headers={"Idempotency-Key": key})
    await services.usage.flush()
    async with services.db.session() as session:
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == key)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.execute(
            update(UsageLog)
            .where(UsageLog.workspace_id == tenant.id)
            .values(timestamp=utcnow() - timedelta(days=120))
        )

    removed = await services.housekeeper.run_once()

    assert removed["idempotencyRecords"] >= 1
    assert removed["usageLogs"] >= 1
    async with services.db.session() as session:
        assert await session.scalar(select(func.count()).where(IdempotencyRecord.key == key)) == 0
        old = utcnow() - timedelta(days=90)
        assert await session.scalar(select(func.count()).where(UsageLog.timestamp < old)) == 0
