"""The event types Hubwire emits, plus those plugins declare through a hook."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

from core.plugins.events import EVENT_TYPE_PATTERN, EventType
from core.plugins.manager import plugin_manager

CORE_EVENT_TYPES: tuple[EventType, ...] = (
    EventType("lead.created", "A lead was created."),
    EventType("lead.updated", "A lead's fields changed."),
    EventType("lead.qualified", "A lead's status became `qualified`."),
    EventType("lead.converted", "A lead's status became `converted`."),
    EventType("lead.rejected", "A lead's status became `rejected`."),
    EventType("lead.deleted", "A lead was deleted."),
    EventType(
        "lead.response_overdue",
        "A lead was still `new` with no call when the workspace's response target passed "
        "(once per lead).",
    ),
    EventType("call.started", "A call was logged or began (status `in_progress`)."),
    EventType("call.ended", "A call ended (status `ended` or `failed`)."),
    EventType("call.transcribed", "A transcript was attached to a call."),
    EventType("agent.created", "An agent was created."),
    EventType("agent.updated", "An agent's fields or status changed."),
    EventType("appointment.scheduled", "An appointment was booked."),
    EventType("appointment.rescheduled", "An appointment moved to another time."),
    EventType("appointment.canceled", "An appointment was canceled."),
    EventType("appointment.completed", "An appointment's status became `completed`."),
    EventType("appointment.updated", "An appointment's other fields changed (a no-show, notes)."),
    EventType("chat.message_received", "A chat message was posted."),
    EventType("payment.completed", "A payment succeeded."),
    EventType("payment.failed", "A payment failed."),
    EventType("payment.refunded", "A payment was refunded, in part or in full."),
    EventType("job.completed", "A background job finished successfully."),
    EventType("job.failed", "A background job failed."),
    EventType("webhook.disabled", "A webhook subscription was disabled after failures or a 410."),
    EventType(
        "webhook.circuit_opened",
        "A subscription's endpoint kept timing out or refusing connections: its deliveries "
        "wait while a probe tests it now and then.",
    ),
    EventType(
        "webhook.circuit_closed",
        "A subscription's endpoint answered a probe again: its waiting deliveries go out.",
    ),
    EventType(
        "connection.connected",
        "A connector connection became active (OAuth consent completed or API key accepted).",
    ),
    EventType(
        "connection.error",
        "A connection's credentials stopped working (token refresh kept failing): reconnect it.",
    ),
    EventType("connection.disconnected", "A connection was deleted."),
)

# Sent only by `POST /v1/webhooks/{id}/test`; never stored in the event feed.
TEST_EVENT_TYPE = "webhook.test"


class EventCatalog:
    def __init__(self, plugin_types: Iterable[EventType] = ()) -> None:
        types: dict[str, EventType] = {t.name: t for t in CORE_EVENT_TYPES}
        for extra in plugin_types:
            if EVENT_TYPE_PATTERN.match(extra.name):
                types.setdefault(extra.name, extra)
        self._types: Mapping[str, EventType] = dict(sorted(types.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def all(self) -> list[EventType]:
        return list(self._types.values())

    def matching(self, pattern: str) -> list[str]:
        return [name for name in self._types if matches(pattern, name)]


def load_event_catalog() -> EventCatalog:
    """Core's event types plus those every installed plugin declares."""
    declared: list[list[EventType]] = plugin_manager().hook.hubwire_event_types()
    return EventCatalog(t for types in declared for t in types)


def matches(pattern: str, event_type: str) -> bool:
    """``*`` matches everything, ``lead.*`` every lead event, else an exact name."""
    return fnmatch.fnmatchcase(event_type, pattern)


def matches_any(patterns: Iterable[str], event_type: str) -> bool:
    return any(matches(pattern, event_type) for pattern in patterns)
