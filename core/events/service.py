"""Recording events (the outbox) and reading the event feed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.events.models import Event, EventFields
from core.events.repository import EVENT_SORTING, EventRepository
from core.events.schemas import EventFilters
from core.listing import ListParams, PageResult, paginate
from core.metrics.instruments import event_written
from core.tasks import RELAY_EVENTS_TASK, enqueue_after_commit


class EventNotFound(NotFound):
    def __init__(self, event_id: str) -> None:
        super().__init__(f"Event {event_id} does not exist.", details={"id": event_id})


def emit(
    session: AsyncSession,
    *,
    workspace_id: str,
    type: str,
    data: dict[str, Any] | BaseModel,
) -> Event:
    """Adds an event to the caller's transaction; its fan-out is sent after the commit.

    ``data`` is the resource as the API shows it (a schema instance or camelCase dict)."""
    payload = data.model_dump(mode="json", by_alias=True) if isinstance(data, BaseModel) else data
    event = Event(workspace_id=workspace_id, type=type, data=payload)
    session.add(event)
    enqueue_after_commit(session, RELAY_EVENTS_TASK)
    event_written(session, type)
    return event


def envelope(event: EventFields) -> dict[str, Any]:
    """The event as webhooks and the feed carry it (docs/architecture.md, "Events and webhooks")."""
    return {
        "id": event.id,
        "type": event.type,
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "workspaceId": event.workspace_id,
        "data": event.data,
        "version": event.version,
    }


class EventService:
    async def list(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: EventFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = EventRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, EVENT_SORTING, params, plain_rows=True)

    async def get(self, session: AsyncSession, *, workspace_id: str, event_id: str) -> Event:
        event = await EventRepository(session).get(workspace_id, event_id)
        if event is None:
            raise EventNotFound(event_id)
        return event


events = EventService()
