"""Webhook subscriptions and their deliveries as the API shows and edits them. Events become
deliveries, and deliveries are sent, by the event pipeline (docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox
from core.database import utcnow
from core.errors import Conflict, NotFound, ValidationFailed
from core.events.catalog import TEST_EVENT_TYPE, EventCatalog
from core.ids import new_id
from core.listing import ListParams, PageResult, paginate
from core.plugins.events import EVENT_FILTER_PATTERN
from core.settings import Settings
from core.tasks import DELIVER_TASK, enqueue_after_commit
from core.webhooks.addresses import AddressPolicy
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.webhooks.repository import (
    DELIVERY_SORTING,
    WEBHOOK_SORTING,
    DeliveryRepository,
    WebhookOwner,
    WebhookRepository,
)
from core.webhooks.retry import policy_for
from core.webhooks.schemas import (
    DeliveryFilters,
    RecoverInput,
    WebhookCreate,
    WebhookFilters,
    WebhookUpdate,
)
from core.webhooks.sender import Message, WebhookSender, new_signing_secret

DISABLED_BY_USER = "The subscription was disabled."


class WebhookNotFound(NotFound):
    def __init__(self, webhook_id: str) -> None:
        super().__init__(f"Webhook {webhook_id} does not exist.", details={"id": webhook_id})


class DeliveryNotFound(NotFound):
    def __init__(self, delivery_id: str) -> None:
        super().__init__(f"Delivery {delivery_id} does not exist.", details={"id": delivery_id})


class WebhookInactive(Conflict):
    def __init__(self, webhook_id: str) -> None:
        super().__init__(
            f"Webhook {webhook_id} is disabled; re-enable it (PATCH active=true) first.",
            details={"id": webhook_id},
        )


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def webhook_view(webhook: Webhook, settings: Settings) -> dict[str, Any]:
    """The attributes of ``WebhookOut`` (never the secret)."""
    attempts = webhook.success_count + webhook.failure_count
    is_open = webhook.circuit_state == "open"
    return {
        "id": webhook.id,
        "url": webhook.url,
        "description": webhook.description,
        "events": webhook.events,
        "active": webhook.active,
        "disabled_reason": webhook.disabled_reason,
        "retry_config": webhook.retry_config,
        "max_concurrency": webhook.max_concurrency or settings.webhook_endpoint_concurrency,
        "max_rate": webhook.max_rate,
        "circuit": {
            "state": webhook.circuit_state,
            "reason": webhook.circuit_reason if is_open else None,
            "opened_at": webhook.circuit_opened_at if is_open else None,
            "probe_at": webhook.circuit_probe_at if is_open else None,
            "unreachable_count": webhook.unreachable_count,
        },
        "health": {
            "success_count": webhook.success_count,
            "failure_count": webhook.failure_count,
            "success_rate": round(webhook.success_count / attempts, 4) if attempts else None,
            "consecutive_failures": webhook.consecutive_failures,
            "failing_since": webhook.failing_since,
            "last_success_at": webhook.last_success_at,
            "last_failure_at": webhook.last_failure_at,
            "last_error": webhook.last_error,
        },
        "created_at": webhook.created_at,
        "updated_at": webhook.updated_at,
    }


def signing_secrets(
    secret_sealed: str,
    previous_sealed: str | None,
    previous_expires_at: datetime | None,
    box: SecretBox,
    now: datetime,
) -> list[str]:
    """The current secret, plus the previous one during a rotation's overlap."""
    keys = [box.open(secret_sealed)]
    if previous_sealed and previous_expires_at and previous_expires_at > now:
        keys.append(box.open(previous_sealed))
    return keys


def delivery_view(
    delivery: Delivery, attempts: list[DeliveryAttempt] | None = None
) -> dict[str, Any]:
    view = {c: getattr(delivery, c) for c in Delivery.__table__.columns.keys()}  # noqa: SIM118
    if attempts is not None:
        view["payload"] = orjson.loads(delivery.payload)
        view["attempt_log"] = attempts
    return view


def address_policy(settings: Settings) -> AddressPolicy:
    return AddressPolicy(
        allow_private=settings.webhook_allow_private,
        allowed_networks=settings.webhook_allowed_networks,
    )


class WebhookService:
    def __init__(self, settings: Settings, box: SecretBox, catalog: EventCatalog) -> None:
        self.settings = settings
        self.box = box
        self.catalog = catalog
        self.policy = address_policy(settings)

    # --- validation -------------------------------------------------------------------

    def _check_events(self, events: list[str]) -> list[str]:
        unknown = []
        for name in events:
            if not EVENT_FILTER_PATTERN.match(name):
                unknown.append(name)
            elif "*" in name:
                if not self.catalog.matching(name):
                    unknown.append(name)
            elif name not in self.catalog:
                unknown.append(name)
        if unknown:
            raise ValidationFailed(
                "Unknown event type(s): "
                + ", ".join(unknown)
                + ". See GET /v1/webhook-events; `lead.*` and `*` are wildcards.",
                details={"field": "events", "invalid": unknown},
            )
        return list(dict.fromkeys(events))

    def _check_limits(self, data: WebhookCreate | WebhookUpdate) -> None:
        """The operator's bounds on a subscription's own concurrency and rate."""
        top = self.settings.webhook_endpoint_concurrency_max
        if data.max_concurrency is not None and data.max_concurrency > top:
            raise ValidationFailed(
                f"maxConcurrency may be at most {top} on this server.",
                details={"field": "maxConcurrency", "max": top},
            )
        top_rate = self.settings.webhook_endpoint_rate_max
        if data.max_rate is not None and data.max_rate > top_rate:
            raise ValidationFailed(
                f"maxRate may be at most {top_rate:g} per second on this server.",
                details={"field": "maxRate", "max": top_rate},
            )

    async def _check_url(self, url: str) -> str:
        refusal = await self.policy.check_url(url)
        if refusal is not None:
            raise ValidationFailed(refusal, details={"field": "url"})
        return url

    # --- subscriptions ----------------------------------------------------------------

    async def create(
        self, session: AsyncSession, *, owner: WebhookOwner, data: WebhookCreate
    ) -> tuple[Webhook, str]:
        url = await self._check_url(str(data.url))
        self._check_limits(data)
        secret = new_signing_secret()
        webhook = Webhook(
            workspace_id=owner.workspace_id,
            partner_id=owner.partner_id,
            url=url,
            description=data.description,
            events=self._check_events(data.events),
            active=data.active,
            retry_config=data.retry_config.model_dump(by_alias=True) if data.retry_config else None,
            secret_sealed=self.box.seal(secret),
            success_count=0,
            failure_count=0,
            consecutive_failures=0,
            max_concurrency=data.max_concurrency,
            max_rate=data.max_rate,
            circuit_state="closed",
            unreachable_count=0,
        )
        WebhookRepository(session).add(webhook)
        await session.flush()
        await session.refresh(webhook)
        return webhook, secret

    async def list(
        self,
        session: AsyncSession,
        *,
        owner: WebhookOwner,
        filters: WebhookFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = WebhookRepository(session).query(owner, filters)
        page = await paginate(session, stmt, WEBHOOK_SORTING, params)
        return page.with_items([webhook_view(w, self.settings) for w in page.items])

    async def get(self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str) -> Webhook:
        webhook = await WebhookRepository(session).get(owner, webhook_id)
        if webhook is None:
            raise WebhookNotFound(webhook_id)
        return webhook

    async def update(
        self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str, data: WebhookUpdate
    ) -> Webhook:
        webhook = await self.get(session, owner=owner, webhook_id=webhook_id)
        given = data.model_fields_set
        self._check_limits(data)
        if "max_concurrency" in given:
            webhook.max_concurrency = data.max_concurrency
        if "max_rate" in given:
            webhook.max_rate = data.max_rate
        if "url" in given and data.url is not None:
            webhook.url = await self._check_url(str(data.url))
        if "events" in given and data.events is not None:
            webhook.events = self._check_events(data.events)
        if "description" in given:
            webhook.description = data.description
        if "retry_config" in given:
            config = data.retry_config
            webhook.retry_config = config.model_dump(by_alias=True) if config else None
        if "active" in given and data.active is not None and data.active != webhook.active:
            webhook.active = data.active
            if data.active:
                # A fresh start: the failure streak that disabled it is history.
                webhook.disabled_reason = None
                webhook.failing_since = None
                webhook.consecutive_failures = 0
                webhook.circuit_state = "closed"
                webhook.unreachable_count = 0
            else:
                await DeliveryRepository(session).kill_pending(
                    [webhook.id], DISABLED_BY_USER, utcnow()
                )
        await session.flush()
        await session.refresh(webhook)
        return webhook

    async def delete(self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str) -> None:
        webhook = await self.get(session, owner=owner, webhook_id=webhook_id)
        # Deliveries first, then the subscription: the order the delivery engine locks them
        # in, so a delete racing an engine's recording waits instead of deadlocking.
        await DeliveryRepository(session).delete_for_webhook(webhook.id)
        await WebhookRepository(session).delete(webhook)
        await session.flush()

    # --- secrets ----------------------------------------------------------------------

    def secret_view(self, webhook: Webhook) -> dict[str, Any]:
        keys = signing_secrets(
            webhook.secret_sealed,
            webhook.previous_secret_sealed,
            webhook.previous_secret_expires_at,
            self.box,
            utcnow(),
        )
        return {
            "secret": keys[0],
            "previous_secret": keys[1] if len(keys) > 1 else None,
            "previous_secret_expires_at": webhook.previous_secret_expires_at
            if len(keys) > 1
            else None,
        }

    async def rotate_secret(
        self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str
    ) -> Webhook:
        """A new secret signs from now on; the old one keeps signing alongside it for
        ``secret_rotation_overlap_hours`` so receivers can switch without losing messages."""
        webhook = await self.get(session, owner=owner, webhook_id=webhook_id)
        overlap = timedelta(hours=self.settings.secret_rotation_overlap_hours)
        if overlap:
            webhook.previous_secret_sealed = webhook.secret_sealed
            webhook.previous_secret_expires_at = utcnow() + overlap
        else:
            webhook.previous_secret_sealed = None
            webhook.previous_secret_expires_at = None
        webhook.secret_sealed = self.box.seal(new_signing_secret())
        await session.flush()
        return webhook

    # --- testing ----------------------------------------------------------------------

    async def send_test(
        self, session: AsyncSession, *, workspace_id: str, webhook_id: str
    ) -> dict[str, Any]:
        """Sends a `webhook.test` message now (disabled or not) and records it as a
        delivery of one attempt, so it shows in the delivery log; it is never retried. (A
        workspace's subscriptions only: the delivery is recorded in the workspace.)"""
        webhook = await self.get(
            session, owner=WebhookOwner(workspace_id=workspace_id), webhook_id=webhook_id
        )
        now = utcnow()
        delivery_id = new_id("msg")
        body = {
            "id": new_id("evt"),
            "type": TEST_EVENT_TYPE,
            "timestamp": _iso(now),
            "workspaceId": workspace_id,
            "data": {"webhookId": webhook.id, "message": "A test event from Hubwire."},
            "version": "1",
        }
        payload = orjson.dumps(body).decode()
        policy = policy_for(
            webhook.retry_config,
            schedule=self.settings.webhook_retry_schedule,
            timeout=self.settings.webhook_timeout_seconds,
        )
        keys = signing_secrets(
            webhook.secret_sealed,
            webhook.previous_secret_sealed,
            webhook.previous_secret_expires_at,
            self.box,
            now,
        )
        message = Message(
            delivery_id, webhook.url, payload, TEST_EVENT_TYPE, 1, keys, policy.timeout
        )
        sender = WebhookSender.from_settings(self.settings, concurrency=1)
        try:
            outcome = await sender.send(message)
        finally:
            await sender.close()
        session.add(
            Delivery(
                id=delivery_id,
                workspace_id=workspace_id,
                webhook_id=webhook.id,
                event_type=TEST_EVENT_TYPE,
                url=webhook.url,
                payload=payload,
                status="succeeded" if outcome.success else "dead",
                attempts=1,
                next_attempt_at=None,
                last_status_code=outcome.status_code,
                last_error=outcome.error,
                last_latency_ms=outcome.latency_ms,
                created_at=now,
                completed_at=utcnow(),
            )
        )
        await session.flush()
        attempt = DeliveryAttempt(
            delivery_id=delivery_id,
            number=1,
            status_code=outcome.status_code,
            error=outcome.error,
            latency_ms=outcome.latency_ms,
            attempted_at=outcome.attempted_at,
            response_body=outcome.response_body,
        )
        session.add(attempt)
        await session.flush()
        return {"delivery_id": delivery_id, "success": outcome.success, "attempt": attempt}

    # --- deliveries -------------------------------------------------------------------

    async def deliveries(
        self,
        session: AsyncSession,
        *,
        owner: WebhookOwner,
        webhook_id: str,
        filters: DeliveryFilters,
        params: ListParams,
    ) -> PageResult:
        await self.get(session, owner=owner, webhook_id=webhook_id)
        stmt = DeliveryRepository(session).query(webhook_id, filters)
        page = await paginate(session, stmt, DELIVERY_SORTING, params)
        return page.with_items([delivery_view(d) for d in page.items])

    async def _delivery(
        self, session: AsyncSession, owner: WebhookOwner, webhook_id: str, delivery_id: str
    ) -> tuple[Webhook, Delivery]:
        webhook = await self.get(session, owner=owner, webhook_id=webhook_id)
        delivery = await DeliveryRepository(session).get(webhook.id, delivery_id)
        if delivery is None:
            raise DeliveryNotFound(delivery_id)
        return webhook, delivery

    async def delivery(
        self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str, delivery_id: str
    ) -> dict[str, Any]:
        _, delivery = await self._delivery(session, owner, webhook_id, delivery_id)
        attempts = await DeliveryRepository(session).attempts_of(delivery.id)
        return delivery_view(delivery, list(attempts))

    async def retry(
        self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str, delivery_id: str
    ) -> dict[str, Any]:
        """Queues one more try now (a dead letter's replay, or a pending one brought
        forward). If that try fails the delivery is dead again."""
        webhook, delivery = await self._delivery(session, owner, webhook_id, delivery_id)
        if not webhook.active:
            raise WebhookInactive(webhook.id)
        if delivery.status != "pending":
            delivery.locked_until = None
        delivery.status = "pending"
        delivery.next_attempt_at = utcnow()
        delivery.completed_at = None
        await session.flush()
        enqueue_after_commit(session, DELIVER_TASK)
        return delivery_view(delivery)

    async def recover(
        self, session: AsyncSession, *, owner: WebhookOwner, webhook_id: str, data: RecoverInput
    ) -> int:
        webhook = await self.get(session, owner=owner, webhook_id=webhook_id)
        if not webhook.active:
            raise WebhookInactive(webhook.id)
        count = await DeliveryRepository(session).requeue_dead(
            webhook.id, data.since, data.until, utcnow()
        )
        if count:
            enqueue_after_commit(session, DELIVER_TASK)
        return count
