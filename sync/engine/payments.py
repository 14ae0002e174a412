"""Pulled payments: a payment provider's charges upserted into Hubwire's payments.

A connector object with ``hub_object="payment"`` hands the pull records whose fields are the
payment's (``records.PAYMENT_FIELDS``; ``provider`` is the connector's slug and
``provider_id`` the record's ``external_id`` when left out). The payment is written through
``core.payments.service.observe``: it only moves forward (a success stays, refunds only
grow), so a record read twice, or a refund read before the success it refunds, ends in the
provider's state; its lead is the workspace's lead with the customer's email, else phone."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import ObjectSpec, Record
from core.database import utcnow
from core.errors import HubwireError
from core.payments.schemas import PaymentCreate
from core.payments.service import payments
from sync.engine.common import Target, aware, upsert_id_map, validated_input
from sync.engine.records import PAYMENT_FIELDS, fields_hash, payment_record
from sync.engine.stats import PullStats


async def apply_payment_page(
    session: AsyncSession, target: Target, obj: ObjectSpec, records: Sequence[Record]
) -> PullStats:
    """Upserts one page's records into Hubwire's payments, in the page's order."""
    stats = PullStats()
    for record in records:
        if not record.external_id:
            stats.failed += 1
            stats.errors.append("a pulled record has no provider id")
            continue
        try:
            await _apply(session, target, obj, record, stats)
        except (ValidationError, ValueError, HubwireError) as exc:
            stats.failed += 1
            stats.errors.append(f"{record.external_id}: {exc}".splitlines()[0][:200])
    return stats


async def _apply(
    session: AsyncSession, target: Target, obj: ObjectSpec, record: Record, stats: PullStats
) -> None:
    assert record.external_id is not None
    values = {name: record.fields[name] for name in PAYMENT_FIELDS if name in record.fields}
    values.setdefault("provider", target.slug)
    values.setdefault("provider_id", record.external_id)
    # A refunded state is the provider's word for a paid payment with refunds.
    if values.get("status") in ("refunded", "partially_refunded"):
        values["status"] = "succeeded"
    data = validated_input(PaymentCreate, values)
    payment, observed = await payments.observe(session, workspace_id=target.workspace_id, data=data)
    setattr(stats, observed, getattr(stats, observed) + 1)
    await upsert_id_map(
        session,
        [
            {
                "connection_id": target.id,
                "object_type": obj.name,
                "hubwire_id": payment.id,
                "external_id": record.external_id,
                "fields_hash": fields_hash(payment_record(payment, obj.name)),
                "remote_updated_at": aware(record.updated_at),
                "synced_at": utcnow(),
            }
        ],
    )
