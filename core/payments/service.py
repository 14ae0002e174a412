"""Payments: recorded through the API or mirrored from a payment provider (a connector).

Events: ``payment.completed`` when a payment becomes ``succeeded`` (created so, or later);
``payment.failed`` when it becomes ``failed``; ``payment.refunded`` each time its refunded
amount grows (status ``partially_refunded`` or ``refunded``). Other changes (a description,
the lead link) emit nothing.

``observe`` is how a connector writes: it creates or advances the payment with the
provider's id and never moves it backwards, so provider events that arrive twice or out of
order (a refund before the success it refunds) end in the same state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound, ValidationFailed
from core.events.service import emit
from core.leads.repository import LeadRepository
from core.listing import ListParams, PageResult, paginate
from core.payments.models import Payment
from core.payments.repository import PAYMENT_SORTING, PaymentRepository
from core.payments.schemas import (
    PAID_STATUSES,
    PaymentCreate,
    PaymentFilters,
    PaymentOut,
    PaymentUpdate,
    check_refund,
    derived_status,
)


class PaymentNotFound(NotFound):
    def __init__(self, payment_id: str) -> None:
        super().__init__(f"Payment {payment_id} does not exist.", details={"id": payment_id})


class PaymentLeadNotFound(ValidationFailed):
    def __init__(self, lead_id: str) -> None:
        super().__init__(
            f"leadId: lead {lead_id} does not exist in this workspace.",
            details={"field": "leadId"},
        )


class DuplicatePayment(Conflict):
    def __init__(self, existing: Payment) -> None:
        super().__init__(
            f"A payment with provider {existing.provider} and providerId "
            f"{existing.provider_id} exists already.",
            details={"id": existing.id, "providerId": existing.provider_id},
        )


class PaymentTransitionRefused(ValidationFailed):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, details={"field": field})


Observed = Literal["created", "updated", "unchanged"]

# Which settable status may follow which stored one (refunds are recorded, not set).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    "pending": frozenset({"succeeded", "failed"}),
    "failed": frozenset({"succeeded"}),  # a retry of the same payment went through
    "succeeded": frozenset(),
    "partially_refunded": frozenset(),
    "refunded": frozenset(),
}


def _emit(session: AsyncSession, payment: Payment, event_type: str) -> None:
    emit(
        session,
        workspace_id=payment.workspace_id,
        type=event_type,
        data=PaymentOut.model_validate(payment),
    )


def _emit_changes(
    session: AsyncSession, payment: Payment, before_status: str | None, before_refunded: int
) -> None:
    """The events of a move from (``before_status``, ``before_refunded``) to now."""
    was_paid = before_status in PAID_STATUSES
    if payment.status in PAID_STATUSES and not was_paid:
        _emit(session, payment, "payment.completed")
    elif payment.status == "failed" and before_status != "failed":
        _emit(session, payment, "payment.failed")
    if payment.refunded_amount > before_refunded:
        _emit(session, payment, "payment.refunded")


class PaymentService:
    async def create(
        self, session: AsyncSession, *, workspace_id: str, data: PaymentCreate
    ) -> Payment:
        """A new payment; a ``providerId`` already recorded for the provider is a 409."""
        repo = PaymentRepository(session)
        if data.provider_id is not None:
            existing = await repo.by_provider_id(workspace_id, data.provider, data.provider_id)
            if existing is not None:
                raise DuplicatePayment(existing)
        values = data.model_dump()
        if data.lead_id is not None:
            await self._check_lead(session, workspace_id, data.lead_id)
        else:
            values["lead_id"] = await self._match_lead(
                session, workspace_id, data.customer_email, data.customer_phone
            )
        values["status"] = derived_status(data.status, data.amount, data.refunded_amount)
        values["occurred_at"] = data.occurred_at or datetime.now(UTC)
        payment = Payment(workspace_id=workspace_id, **values)
        try:
            # A savepoint: a concurrent insert of the same provider id fails alone.
            async with session.begin_nested():
                repo.add(payment)
                await session.flush()
        except IntegrityError:
            assert data.provider_id is not None  # the only unique key a caller sets
            existing = await repo.by_provider_id(workspace_id, data.provider, data.provider_id)
            if existing is None:
                raise
            raise DuplicatePayment(existing) from None
        _emit_changes(session, payment, None, 0)
        return payment

    async def list(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: PaymentFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = PaymentRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, PAYMENT_SORTING, params)

    async def get(self, session: AsyncSession, *, workspace_id: str, payment_id: str) -> Payment:
        payment = await PaymentRepository(session).get(workspace_id, payment_id)
        if payment is None:
            raise PaymentNotFound(payment_id)
        return payment

    async def update(
        self, session: AsyncSession, *, workspace_id: str, payment_id: str, data: PaymentUpdate
    ) -> Payment:
        """Applies the given fields under the rules of ``ALLOWED_MOVES`` and refunds that
        only grow; emits the events of the move (see the module docstring)."""
        payment = await self.get(session, workspace_id=workspace_id, payment_id=payment_id)
        changes = {
            name: value
            for name, value in data.model_dump(exclude_unset=True).items()
            if getattr(payment, name) != value
        }
        status = changes.pop("status", None)
        if status is not None and status not in ALLOWED_MOVES[payment.status]:
            raise PaymentTransitionRefused(
                f"status: a {payment.status} payment cannot become {status}.", "status"
            )
        refunded = changes.pop("refunded_amount", payment.refunded_amount)
        if refunded < payment.refunded_amount:
            raise PaymentTransitionRefused(
                "refundedAmount: refunds cannot be undone; it only grows.", "refundedAmount"
            )
        base = status or payment.status
        try:
            check_refund(base, payment.amount, refunded)
        except ValueError as exc:
            raise PaymentTransitionRefused(f"refundedAmount: {exc}.", "refundedAmount") from exc
        if changes.get("lead_id") is not None:
            await self._check_lead(session, workspace_id, changes["lead_id"])
        return await self._apply(
            session, payment, changes, derived_status(base, payment.amount, refunded), refunded
        )

    async def observe(
        self, session: AsyncSession, *, workspace_id: str, data: PaymentCreate
    ) -> tuple[Payment, Observed]:
        """Creates or advances the payment ``data.provider``/``data.provider_id`` from a
        provider's view of it; returns it and what this did to it. Never backwards: a
        paid payment stays paid, a refunded amount only grows, a later ``pending`` or
        ``failed`` does not undo a success."""
        assert data.provider_id is not None
        existing = await PaymentRepository(session).by_provider_id(
            workspace_id, data.provider, data.provider_id
        )
        if existing is None:
            return await self.create(session, workspace_id=workspace_id, data=data), "created"
        status = existing.status
        if data.status == "succeeded" or data.refunded_amount:
            status = "succeeded"
        elif data.status == "failed" and status == "pending":
            status = "failed"
        refunded = max(existing.refunded_amount, data.refunded_amount)
        amount = max(existing.amount, data.amount)
        changes: dict[str, Any] = {}
        if amount != existing.amount:
            changes["amount"] = amount
        for name in ("customer_email", "customer_phone", "customer_name", "description"):
            value = getattr(data, name)
            if value is not None and getattr(existing, name) != value:
                changes[name] = value
        if existing.failure_reason is None and data.failure_reason is not None:
            changes["failure_reason"] = data.failure_reason
        if existing.lead_id is None:
            lead_id = await self._match_lead(
                session, workspace_id, data.customer_email, data.customer_phone
            )
            if lead_id is not None:
                changes["lead_id"] = lead_id
        before = existing.updated_at
        payment = await self._apply(
            session, existing, changes, derived_status(status, amount, refunded), refunded
        )
        return payment, "updated" if payment.updated_at != before else "unchanged"

    async def _apply(
        self,
        session: AsyncSession,
        payment: Payment,
        changes: dict[str, Any],
        status: str,
        refunded: int,
    ) -> Payment:
        before_status, before_refunded = payment.status, payment.refunded_amount
        if status != payment.status:
            changes["status"] = status
        if refunded != payment.refunded_amount:
            changes["refunded_amount"] = refunded
        if not changes:
            return payment
        for name, value in changes.items():
            setattr(payment, name, value)
        await session.flush()
        await session.refresh(payment)
        _emit_changes(session, payment, before_status, before_refunded)
        return payment

    async def _check_lead(self, session: AsyncSession, workspace_id: str, lead_id: str) -> None:
        if await LeadRepository(session).get(workspace_id, lead_id) is None:
            raise PaymentLeadNotFound(lead_id)

    async def _match_lead(
        self, session: AsyncSession, workspace_id: str, email: str | None, phone: str | None
    ) -> str | None:
        lead = await LeadRepository(session).find_by_contact(workspace_id, email, phone)
        return lead.id if lead is not None else None


payments = PaymentService()
