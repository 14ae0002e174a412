"""``payments.observe``, the way connectors write: forward only, whatever the order."""

from __future__ import annotations

from sqlalchemy import select

from core.events.models import Event
from core.payments.repository import PaymentRepository
from core.payments.schemas import PaymentCreate
from core.payments.service import payments
from tests.conftest import Tenant

STRIPE = {"provider": "stripe", "provider_id": "pi_1", "amount": 5000, "currency": "gbp"}


async def _observe_all(tenant: Tenant, views: list[dict[str, object]]) -> list[str]:
    outcomes = []
    for view in views:
        async with tenant.services.db.session() as session:
            _, outcome = await payments.observe(
                session, workspace_id=tenant.id, data=PaymentCreate(**{**STRIPE, **view})
            )
            await session.commit()
            outcomes.append(outcome)
    return outcomes


async def _state(tenant: Tenant) -> tuple[str, int, list[str]]:
    async with tenant.services.db.session() as session:
        found = await session.execute(
            select(Event.type).where(Event.workspace_id == tenant.id).order_by(Event.occurred_at)
        )
        types = [t for t in found.scalars() if t.startswith("payment.")]
        payment = await PaymentRepository(session).by_provider_id(tenant.id, "stripe", "pi_1")
        assert payment is not None
        return payment.status, payment.refunded_amount, types


async def test_a_refund_before_its_success_ends_the_same_as_in_order(tenant: Tenant) -> None:
    outcomes = await _observe_all(
        tenant,
        [
            {"status": "succeeded", "refunded_amount": 1000},  # charge.refunded first
            {"status": "succeeded"},  # then payment_intent.succeeded, late
            {"status": "pending"},  # a stale read: never moves it back
            {"status": "failed"},
        ],
    )
    assert outcomes == ["created", "unchanged", "unchanged", "unchanged"]
    status, refunded, types = await _state(tenant)
    assert (status, refunded) == ("partially_refunded", 1000)
    assert types == ["payment.completed", "payment.refunded"]


async def test_a_failure_then_a_success_on_retry_then_the_full_refund(tenant: Tenant) -> None:
    outcomes = await _observe_all(
        tenant,
        [
            {"status": "failed", "failure_reason": "card_declined"},
            {"status": "succeeded"},
            {"status": "succeeded", "refunded_amount": 5000},
            {"status": "succeeded", "refunded_amount": 5000},
        ],
    )
    assert outcomes == ["created", "updated", "updated", "unchanged"]
    status, refunded, types = await _state(tenant)
    assert (status, refunded) == ("refunded", 5000)
    assert types == ["payment.failed", "payment.completed", "payment.refunded"]
