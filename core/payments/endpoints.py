from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.deps import ReadSession, Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.payments.schemas import (
    PaymentCreate,
    PaymentFilters,
    PaymentOut,
    PaymentUpdate,
    payment_filters,
)
from core.payments.service import payments
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/payments", tags=["Payments"])


@router.get("", response_model=Page[PaymentOut], summary="List payments")
async def list_payments(
    session: ReadSession,
    principal: Annotated[Principal, require("payments:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[PaymentFilters, Depends(payment_filters)],
) -> JsonResponse:
    page = await payments.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(PaymentOut, page, params.fields)


@router.post(
    "",
    response_model=PaymentOut,
    status_code=201,
    summary="Record a payment",
    description=(
        "Records a payment taken elsewhere. Without `leadId` it is linked to the lead with "
        "the customer's email, else phone. A `providerId` already recorded for the same "
        "`provider` is a 409 naming the existing payment."
    ),
)
async def create_payment(
    session: Session,
    principal: Annotated[Principal, require("payments:write")],
    body: PaymentCreate,
) -> JsonResponse:
    payment = await payments.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(PaymentOut, payment, status_code=201)


@router.get("/{payment_id}", response_model=PaymentOut, summary="Get a payment")
async def get_payment(
    session: ReadSession,
    principal: Annotated[Principal, require("payments:read")],
    payment_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    payment = await payments.get(
        session, workspace_id=principal.workspace_id, payment_id=payment_id
    )
    return resource_response(PaymentOut, payment, fields)


@router.patch(
    "/{payment_id}",
    response_model=PaymentOut,
    summary="Complete, fail, refund or update a payment",
    description=(
        "`status` moves a pending payment to `succeeded` or `failed`; a growing "
        "`refundedAmount` refunds it (status `partially_refunded` or `refunded`, event "
        "`payment.refunded`)."
    ),
)
async def update_payment(
    session: Session,
    principal: Annotated[Principal, require("payments:write")],
    payment_id: str,
    body: PaymentUpdate,
) -> JsonResponse:
    payment = await payments.update(
        session, workspace_id=principal.workspace_id, payment_id=payment_id, data=body
    )
    return resource_response(PaymentOut, payment)
