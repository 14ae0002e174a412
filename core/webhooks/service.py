"""Webhook subscriptions, the fan-out of events into deliveries, and delivery outcomes."""

from __future__ import annotations

from core.database import Database
from core.settings import Settings

DELIVER_TASK = "hubwire.webhooks.deliver"


async def dispatch_pending_events(db: Database, settings: Settings) -> int:
    """Fans every undispatched event out into deliveries; returns how many events."""
    raise NotImplementedError("webhook fan-out is being built")
