from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import AfterValidator, EmailStr, Field, StringConstraints, model_validator

from core.filters import CreatedRange, created_range
from core.leads.schemas import Phone
from core.schemas import ApiInput, ApiPatch, Resource, UtcDateTime

PaymentStatus = Literal["pending", "succeeded", "failed", "refunded", "partially_refunded"]
# What a caller sets; the refunded states follow from ``refundedAmount``.
SettableStatus = Literal["pending", "succeeded", "failed"]
PAYMENT_STATUSES: tuple[str, ...] = (
    "pending",
    "succeeded",
    "failed",
    "refunded",
    "partially_refunded",
)
# Statuses whose money was taken (revenue counts them, less what was refunded).
PAID_STATUSES = frozenset({"succeeded", "partially_refunded", "refunded"})
# Well past any real charge (a hundred billion in minor units), low enough for every BIGINT.
MAX_AMOUNT = 10**14


def _upper(value: str) -> str:
    return value.upper()


Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{3}$"),
    AfterValidator(_upper),
    Field(description="ISO 4217 code; stored upper case.", examples=["EUR"]),
]
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT, description="Minor units (cents).")]
ProviderSlug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$"),
    Field(description="`api`, or the system the payment was made in (`stripe`)."),
]

_EXAMPLE: dict[str, Any] = {
    "amount": 4900,
    "currency": "EUR",
    "status": "succeeded",
    "customerEmail": "ada@example.com",
    "description": "Pro plan, January",
    "provider": "paypal",
    "providerId": "PAYID-M5X2",
    "occurredAt": "2026-01-08T14:00:00Z",
}


class PaymentCreate(ApiInput):
    amount: Amount
    currency: Currency
    status: SettableStatus = Field(
        default="succeeded", description="Refunds are recorded with `refundedAmount`."
    )
    refunded_amount: Amount = 0
    lead_id: str | None = Field(
        default=None,
        max_length=40,
        description="Left out: the lead with the customer's email, else phone, if any.",
    )
    customer_email: EmailStr | None = None
    customer_phone: Phone | None = None
    customer_name: str | None = Field(default=None, max_length=200)
    provider: ProviderSlug = "api"
    provider_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="The payment's id in `provider`; unique per provider (409 when taken).",
    )
    description: str | None = Field(default=None, max_length=1000)
    failure_reason: str | None = Field(default=None, max_length=500)
    occurred_at: UtcDateTime | None = Field(default=None, description="Default: now.")

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}

    @model_validator(mode="after")
    def _refund_fits(self) -> PaymentCreate:
        check_refund(self.status, self.amount, self.refunded_amount)
        return self


class PaymentUpdate(ApiPatch):
    not_null = ("status", "refunded_amount")

    status: SettableStatus | None = Field(
        default=None,
        description="`pending` may become `succeeded` or `failed`, `failed` may become "
        "`succeeded` (a retry); a succeeded payment is refunded, not failed.",
    )
    refunded_amount: Amount | None = Field(
        default=None, description="The total refunded so far: it only grows, up to `amount`."
    )
    lead_id: str | None = Field(default=None, max_length=40)
    customer_email: EmailStr | None = None
    customer_phone: Phone | None = None
    customer_name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    failure_reason: str | None = Field(default=None, max_length=500)

    model_config = {"json_schema_extra": {"examples": [{"refundedAmount": 1000}]}}


def check_refund(status: str, amount: int, refunded: int) -> None:
    if refunded > amount:
        raise ValueError("refundedAmount cannot exceed amount")
    if refunded and status not in PAID_STATUSES:
        raise ValueError("only a succeeded payment can be refunded")


def derived_status(status: str, amount: int, refunded: int) -> str:
    """The stored status: a paid payment with refunds is (partially) refunded."""
    if status not in PAID_STATUSES or refunded == 0:
        return "succeeded" if status in PAID_STATUSES else status
    return "refunded" if refunded >= amount else "partially_refunded"


class PaymentOut(Resource):
    id: str = Field(examples=["pay_4k2m8x9q1w3e5r7t0y6u"])
    lead_id: str | None
    amount: int = Field(description="Minor units (cents).", examples=[4900])
    currency: str = Field(examples=["EUR"])
    status: PaymentStatus
    refunded_amount: int = Field(examples=[0])
    provider: str = Field(examples=["stripe"])
    provider_id: str | None = Field(examples=["pi_3MtwBwLkdIwHu7ix28a3tqPa"])
    customer_email: str | None
    customer_phone: str | None
    customer_name: str | None
    description: str | None
    failure_reason: str | None
    occurred_at: datetime
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PaymentFilters:
    lead_id: str | None
    status: PaymentStatus | None
    provider: str | None
    currency: str | None
    created: CreatedRange
    occurred: CreatedRange


async def payment_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    lead_id: Annotated[str | None, Query(alias="leadId", max_length=40)] = None,
    status: Annotated[PaymentStatus | None, Query()] = None,
    provider: Annotated[
        str | None, Query(max_length=32, description="`api` or a connector's slug.")
    ] = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    occurred_after: Annotated[
        UtcDateTime | None, Query(alias="occurredAfter", description="ISO 8601, inclusive.")
    ] = None,
    occurred_before: Annotated[
        UtcDateTime | None, Query(alias="occurredBefore", description="ISO 8601, exclusive.")
    ] = None,
) -> PaymentFilters:
    return PaymentFilters(
        lead_id,
        status,
        provider,
        currency.upper() if currency else None,
        created,
        CreatedRange(occurred_after, occurred_before),
    )
