"""The webhooks page: subscriptions with their health and last deliveries (create, edit,
rotate the secret, send a test, recover the dead ones), and one delivery's detail and retry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from core.deps import Session, services_of
from core.errors import HubwireError, NotFound
from core.webhooks.endpoints import owner_of, webhook_service
from core.webhooks.schemas import (
    DeliveryFilters,
    RecoverInput,
    WebhookCreate,
    WebhookFilters,
    WebhookUpdate,
)
from dashboard.browser import AdminViewer, Viewer, render
from dashboard.pages.common import ANY_TIME, list_params, page_router, problem

router = page_router()


async def _webhooks_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    service = webhook_service(request)
    owner = owner_of(viewer.principal)
    page = await service.list(
        session,
        owner=owner,
        filters=WebhookFilters(active=None, created=ANY_TIME),
        params=list_params(100),
    )
    hooks = []
    for webhook in page.items:
        deliveries = await service.deliveries(
            session,
            owner=owner,
            webhook_id=webhook["id"],
            filters=DeliveryFilters(status=None, event_type=None, created=ANY_TIME),
            params=list_params(10),
        )
        hooks.append({**webhook, "deliveries": deliveries.items})
    catalog = services_of(request).event_catalog.all()
    return render(
        request,
        "webhooks.html",
        status,
        viewer=viewer,
        webhooks=hooks,
        events=catalog,
        events_picker=[(e.name, e.description) for e in catalog],
        event_names={e.name for e in catalog},
        created=created,
        error=error,
        notice=notice,
    )


@router.get("/webhooks")
async def webhooks(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _webhooks_page(request, session, viewer)


@router.post("/webhooks")
async def create_webhook(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    try:
        data = WebhookCreate(
            url=str(form.get("url", "")),
            events=[str(e) for e in form.getlist("events")],
            description=str(form.get("description", "")) or None,
        )
        webhook, secret = await webhook_service(request).create(
            session, owner=owner_of(viewer.principal), data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _webhooks_page(request, session, viewer, status=422, error=problem(exc))
    created = {"url": webhook.url, "secret": secret, "verb": "created"}
    return await _webhooks_page(request, session, viewer, status=201, created=created)


@router.post("/webhooks/{webhook_id}/rotate-secret")
async def rotate_webhook_secret(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """A new signing secret, shown once; the old one keeps signing during the overlap."""
    service = webhook_service(request)
    webhook = await service.rotate_secret(
        session, owner=owner_of(viewer.principal), webhook_id=webhook_id
    )
    secret = str(service.secret_view(webhook)["secret"])
    created = {"url": webhook.url, "secret": secret, "verb": "rotated"}
    return await _webhooks_page(request, session, viewer, created=created)


@router.post("/webhooks/{webhook_id}")
async def edit_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """The edit form sends every field: an unchecked "active" box disables the subscription."""
    form = await request.form()
    try:
        data = WebhookUpdate(
            url=str(form.get("url", "")),
            events=[str(e) for e in form.getlist("events")],
            description=str(form.get("description", "")) or None,
            active=form.get("active") == "on",
            # Empty: back to the server's default concurrency / no throttle.
            max_concurrency=str(form.get("max_concurrency", "")).strip() or None,
            max_rate=str(form.get("max_rate", "")).strip() or None,
        )
        webhook = await webhook_service(request).update(
            session, owner=owner_of(viewer.principal), webhook_id=webhook_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        return await _webhooks_page(request, session, viewer, status=422, error=problem(exc))
    return await _webhooks_page(request, session, viewer, notice=f"Saved {webhook.url}.")


def _utc(value: str) -> datetime:
    """A ``datetime-local`` field (read as UTC) or an ISO time with its offset."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@router.post("/webhooks/{webhook_id}/recover")
async def recover_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """Queues again the dead deliveries created since the time given."""
    form = await request.form()
    try:
        data = RecoverInput.model_validate({"since": _utc(str(form.get("since", "")))})
        count = await webhook_service(request).recover(
            session, owner=owner_of(viewer.principal), webhook_id=webhook_id, data=data
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError too
        message = problem(exc) if isinstance(exc, ValidationError) else "since: not a time"
        return await _webhooks_page(request, session, viewer, status=422, error=message)
    except HubwireError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _webhooks_page(request, session, viewer, status=409, error=problem(exc))
    noun = "delivery" if count == 1 else "deliveries"
    return await _webhooks_page(request, session, viewer, notice=f"{count} {noun} queued again.")


# The headers every try carries (core.webhooks.sender.build_headers); the signature is
# computed from the secret, so the page names it without showing it.
def _request_headers(delivery: dict[str, Any], attempt: int) -> list[tuple[str, str]]:
    return [
        ("webhook-id", str(delivery["id"])),
        ("webhook-timestamp", "the time of the try in Unix seconds (each try's is below)"),
        ("webhook-signature", "v1,… (HMAC-SHA256 with the signing secret; not shown)"),
        ("X-Hubwire-Event", str(delivery["event_type"])),
        ("X-Webhook-Attempt", str(attempt)),
        ("Content-Type", "application/json"),
    ]


@router.get("/webhooks/{webhook_id}/deliveries/{delivery_id}")
async def delivery_detail(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str, delivery_id: str
) -> Response:
    """One delivery: the request as sent (headers and body) and each try's response."""
    service = webhook_service(request)
    owner = owner_of(viewer.principal)
    webhook = await service.get(session, owner=owner, webhook_id=webhook_id)
    delivery = await service.delivery(
        session, owner=owner, webhook_id=webhook_id, delivery_id=delivery_id
    )
    attempts = delivery["attempt_log"]
    return render(
        request,
        "delivery.html",
        viewer=viewer,
        webhook=webhook,
        delivery=delivery,
        headers=_request_headers(delivery, max(len(attempts), 1)),
        body=json.dumps(delivery["payload"], indent=2, sort_keys=True),
        attempts=attempts,
    )


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/retry")
async def retry_delivery(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str, delivery_id: str
) -> Response:
    await webhook_service(request).retry(
        session,
        owner=owner_of(viewer.principal),
        webhook_id=webhook_id,
        delivery_id=delivery_id,
    )
    return await _webhooks_page(request, session, viewer, notice="Delivery queued for retry.")


@router.post("/webhooks/{webhook_id}/test")
async def test_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    result = await webhook_service(request).send_test(
        session, workspace_id=viewer.principal.workspace_id, webhook_id=webhook_id
    )
    outcome = "delivered" if result.get("success") else "failed (see the delivery log)"
    return await _webhooks_page(request, session, viewer, notice=f"Test event sent: {outcome}.")
