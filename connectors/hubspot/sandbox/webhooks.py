"""Sends HubSpot-style webhook batches, signed with the v3 signature, to a target URL."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any

import aiohttp

from connectors.hubspot.sandbox.config import USER_ID, SandboxConfig
from connectors.hubspot.sandbox.signature import sign_v1, sign_v3
from connectors.hubspot.sandbox.store import SINGULAR, Change


@dataclass(frozen=True)
class Delivery:
    """One attempted POST; ``status`` is None when the receiver could not be reached."""

    url: str
    body: str
    status: int | None
    error: str | None = None


class WebhookSender:
    """Turns store changes into subscription events and POSTs them (one attempt, no retry)."""

    SUBSCRIPTION_IDS = {"creation": 1, "propertyChange": 2, "deletion": 3}

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.target_url = config.webhook_target_url
        self.deliveries: list[Delivery] = []
        self._event_ids = itertools.count(1)
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
        """POSTs the events of ``changes`` in batches of at most 100, as HubSpot does."""
        url = self.target_url
        events = [e for change in changes for e in self.events(change, source)]
        sent: list[Delivery] = []
        if url is None:
            return sent
        timeout = aiohttp.ClientTimeout(total=self.config.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for start in range(0, len(events), 100):
                body = json.dumps(events[start : start + 100], separators=(",", ":"))
                headers = self.signed_request(body, int(self.config.clock() * 1000))
                try:
                    async with session.post(url, data=body.encode(), headers=headers) as response:
                        delivery = Delivery(url, body, response.status)
                except (aiohttp.ClientError, TimeoutError) as exc:
                    delivery = Delivery(url, body, None, repr(exc))
                with self._lock:
                    self.deliveries.append(delivery)
                sent.append(delivery)
        return sent
