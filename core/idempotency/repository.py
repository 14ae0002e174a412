from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.idempotency.models import IdempotencyRecord


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, principal_id: str, key: str) -> IdempotencyRecord | None:
        return await self.session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.principal_id == principal_id, IdempotencyRecord.key == key
            )
        )

    def add(self, record: IdempotencyRecord) -> None:
        self.session.add(record)

    async def take_over(self, record_id: int, stale_before: datetime, now: datetime) -> bool:
        """Claims an expired record or an abandoned reservation; False if someone else did."""
        result = await self.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id)
            .where(
                (IdempotencyRecord.expires_at <= now)
                | (
                    (IdempotencyRecord.state == "processing")
                    & (IdempotencyRecord.locked_at <= stale_before)
                )
            )
            .values(
                state="processing",
                locked_at=now,
                response_status=None,
                response_body=None,
                secret_withheld=False,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def complete(
        self, record_id: int, status: int, body: str, content_type: str, *, secret_withheld: bool
    ) -> None:
        await self.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id)
            .values(
                state="completed",
                response_status=status,
                response_body=body,
                response_content_type=content_type,
                secret_withheld=secret_withheld,
            )
        )

    async def remove(self, record_id: int) -> None:
        await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id)
        )

    async def purge_expired(self, now: datetime) -> int:
        result = await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0))
