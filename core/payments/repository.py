from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listing import Sorting
from core.payments.models import Payment
from core.payments.schemas import PaymentFilters

PAYMENT_SORTING = Sorting(
    fields={
        "createdAt": Payment.created_at,
        "occurredAt": Payment.occurred_at,
        "updatedAt": Payment.updated_at,
        "amount": Payment.amount,
    },
    id_column=Payment.id,
)


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, payment_id: str) -> Payment | None:
        return await self.session.scalar(
            select(Payment).where(Payment.workspace_id == workspace_id, Payment.id == payment_id)
        )

    async def by_provider_id(
        self, workspace_id: str, provider: str, provider_id: str
    ) -> Payment | None:
        return await self.session.scalar(
            select(Payment).where(
                Payment.workspace_id == workspace_id,
                Payment.provider == provider,
                Payment.provider_id == provider_id,
            )
        )

    def query(self, workspace_id: str, filters: PaymentFilters) -> Select[Payment]:
        stmt = select(Payment).where(Payment.workspace_id == workspace_id)
        if filters.lead_id is not None:
            stmt = stmt.where(Payment.lead_id == filters.lead_id)
        if filters.status is not None:
            stmt = stmt.where(Payment.status == filters.status)
        if filters.provider is not None:
            stmt = stmt.where(Payment.provider == filters.provider)
        if filters.currency is not None:
            stmt = stmt.where(Payment.currency == filters.currency)
        stmt = filters.created.apply(stmt, Payment.created_at)
        return filters.occurred.apply(stmt, Payment.occurred_at)

    def add(self, payment: Payment) -> None:
        self.session.add(payment)
