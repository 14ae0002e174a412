"""The hook specifications of the ``hubwire`` plugin project (DESIGN.md §5).

Connectors implement these with ``@hookimpl`` and register through the entry-point group
``hubwire.connectors``."""

from __future__ import annotations

import pluggy

from core.events.catalog import EventType

PROJECT = "hubwire"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def hubwire_event_types() -> list[EventType]:  # type: ignore[empty-body]
    """Called once when a process builds its event catalog.

    Returns the event types this plugin emits (names like ``hubspot.contact_synced``); they
    appear in ``GET /v1/webhook-events`` and webhooks may subscribe to them."""
