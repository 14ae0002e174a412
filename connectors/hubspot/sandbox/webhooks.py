"""Sends HubSpot-style webhook batches, signed with the v1 and v3 signatures, to a target URL,
and retries the ones that failed as HubSpot does.

HubSpot retries a batch up to 10 times when it could not connect, timed out, or got a status
other than 2xx and 400, 401, 403, 404, 405; the n-th retry comes about 2^n minutes after the
failure (its ``attemptNumber`` says which), a 429's ``Retry-After`` is respected. The sandbox
keeps failed batches and sends the due ones when anything is next sent, or when
``POST /_sandbox/webhooks/retry`` asks (tests move the clock instead of waiting minutes)."""

from __future__ import annotations

import itertools
import json
import math
import secrets
import threading
from dataclasses import dataclass
from typing import Any

import aiohttp

from connectors.hubspot.sandbox.config import USER_ID, SandboxConfig
from connectors.hubspot.sandbox.signature import sign_v1, sign_v3
from connectors.hubspot.sandbox.store import SINGULAR, Change

# Statuses HubSpot does not retry: the receiver said it does not want the batch.
FINAL_STATUSES = frozenset({400, 401, 403, 404, 405})


@dataclass(frozen=True)
class Delivery:
    """One attempted POST; ``status`` is None when the receiver could not be reached."""

    url: str
    body: str
    status: int | None
    error: str | None = None
    attempt: int = 0

    @property
    def retryable(self) -> bool:
        if self.status is None:
            return True
        return not (200 <= self.status < 300 or self.status in FINAL_STATUSES)


@dataclass
class PendingRetry:
    """A batch that failed, waiting for its next attempt."""

    events: list[dict[str, Any]]
    attempt: int  # the attemptNumber the next send carries (1 for the first retry)
    due_at: float


class WebhookSender:
    """Turns store changes into subscription events, POSTs them and retries failed batches."""

    SUBSCRIPTION_IDS = {"creation": 1, "propertyChange": 2, "deletion": 3}

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.target_url = config.webhook_target_url
        self.deliveries: list[Delivery] = []
        self.pending: list[PendingRetry] = []
        # HubSpot's event ids are unique across its deliveries; a random start keeps two
        # sandboxes (one per test, the same portal id) from reusing each other's.
        self._event_ids = itertools.count(secrets.randbelow(10**12) + 1)
        self._lock = threading.Lock()

    def events(self, change: Change, source: str) -> list[dict[str, Any]]:
        """The events HubSpot sends for ``change``: creation, one per changed property,
        or deletion. Only contacts are subscribed (as the Hubwire app's subscriptions are),
        and property changes only of the subscribed properties."""
        if change.object_type != "contacts":
            return []
        app = self.config.apps[0]
        base = {
            "portalId": self.config.portal_id,
            "appId": app.app_id,
            "occurredAt": int(change.occurred_at * 1000),
            "attemptNumber": 0,
            "objectId": int(change.object_id),
            "changeSource": source,
            # Who made the change: the user in HubSpot's UI, else the app's integration.
            "sourceId": f"userId:{USER_ID}" if source == "CRM_UI" else str(app.app_id),
        }
        kind = SINGULAR[change.object_type]
        out: list[dict[str, Any]] = []

        def add(sub: str, **extra: Any) -> None:
            with self._lock:
                event_id = next(self._event_ids)
            out.append(
                {
                    "eventId": event_id,
                    "subscriptionId": self.SUBSCRIPTION_IDS[sub],
                    "subscriptionType": f"{kind}.{sub}",
                    **base,
                    **extra,
                }
            )

        if change.deleted:
            add("deletion", changeFlag="DELETED")
            return out
        if change.created:
            add("creation", changeFlag="CREATED")
        for name, value in sorted(change.changed.items()):
            if name in self.config.webhook_properties:
                add("propertyChange", propertyName=name, propertyValue=value)
        return out

    def signed_request(self, body: str, timestamp_ms: int) -> dict[str, str]:
        """The headers HubSpot puts on a webhook request to ``self.target_url``."""
        assert self.target_url is not None
        secret = self.config.apps[0].client_secret
        timestamp = str(timestamp_ms)
        return {
            "Content-Type": "application/json",
            "X-HubSpot-Signature": sign_v1(secret, body),
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature-v3": sign_v3(secret, "POST", self.target_url, body, timestamp),
            "X-HubSpot-Request-Timestamp": timestamp,
        }

    async def send(self, changes: list[Change], source: str) -> list[Delivery]:
        """POSTs the events of ``changes`` in batches of at most 100, as HubSpot does, after
        the retries that are due."""
        events = [e for change in changes for e in self.events(change, source)]
        batches = [(events[i : i + 100], 0) for i in range(0, len(events), 100)]
        return await self._post(self._take_due(self.config.clock()) + batches)

    async def retry_due(self, *, everything: bool = False) -> list[Delivery]:
        """Sends the failed batches whose retry is due (all of them with ``everything``)."""
        return await self._post(self._take_due(math.inf if everything else self.config.clock()))

    def _take_due(self, now: float) -> list[tuple[list[dict[str, Any]], int]]:
        with self._lock:
            due = [p for p in self.pending if p.due_at <= now]
            self.pending = [p for p in self.pending if p.due_at > now]
        return [(p.events, p.attempt) for p in due]

    async def _post(self, batches: list[tuple[list[dict[str, Any]], int]]) -> list[Delivery]:
        url = self.target_url
        sent: list[Delivery] = []
        if url is None or not batches:
            return sent
        timeout = aiohttp.ClientTimeout(total=self.config.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for events, attempt in batches:
                marked = [{**event, "attemptNumber": attempt} for event in events]
                body = json.dumps(marked, separators=(",", ":"))
                headers = self.signed_request(body, int(self.config.clock() * 1000))
                retry_after: float | None = None
                try:
                    async with session.post(url, data=body.encode(), headers=headers) as response:
                        delivery = Delivery(url, body, response.status, attempt=attempt)
                        if response.status == 429:
                            retry_after = _seconds(response.headers.get("Retry-After"))
                except (aiohttp.ClientError, TimeoutError) as exc:
                    delivery = Delivery(url, body, None, repr(exc), attempt=attempt)
                with self._lock:
                    self.deliveries.append(delivery)
                    if delivery.retryable and attempt < self.config.webhook_max_retries:
                        delay = retry_after or self.config.webhook_retry_base * 2 ** (attempt + 1)
                        due = self.config.clock() + delay
                        self.pending.append(PendingRetry(events, attempt + 1, due))
                sent.append(delivery)
        return sent


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
