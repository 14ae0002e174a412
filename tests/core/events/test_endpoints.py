from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.container import Services
from core.events.models import Event
from tests.conftest import Api, Tenant


async def feed(api: Api, query: str = "") -> list[dict[str, Any]]:
    response = await api.get(f"/v1/events?sort=timestamp&limit=100{query}")
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


async def test_a_lead_lifecycle_is_written_as_events_in_order(api: Api) -> None:
    lead = (await api.post("/v1/leads", json={"name": "Ada", "email": "ada@example.com"})).json()
    await api.patch(f"/v1/leads/{lead['id']}", json={"status": "qualified"})
    await api.patch(f"/v1/leads/{lead['id']}", json={"company": "Engines"})
    await api.delete(f"/v1/leads/{lead['id']}")

    events = await feed(api, "&type=lead.*")
    assert [e["type"] for e in events] == [
        "lead.created",
        "lead.updated",
        "lead.qualified",
        "lead.updated",
        "lead.deleted",
    ]
    created = events[0]
    assert created["data"] == lead
    assert created["id"].startswith("evt_") and created["version"] == "1"
    assert events[2]["data"]["status"] == "qualified"
    assert events[3]["data"]["company"] == "Engines"

    one = await api.get(f"/v1/events/{created['id']}")
    assert one.json() == created


async def test_calls_and_chat_emit_their_events(api: Api) -> None:
    call = (await api.post("/v1/calls", json={"direction": "inbound"})).json()
    transcript = {"text": "Hello there " * 50}
    assert (await api.post(f"/v1/calls/{call['id']}/transcript", json=transcript)).is_success
    ended = await api.patch(f"/v1/calls/{call['id']}", json={"status": "ended"})
    assert ended.status_code == 200, ended.text
    # Already ended: no second `call.ended`.
    assert (await api.patch(f"/v1/calls/{call['id']}", json={"outcome": "booked"})).is_success
    message = await api.post("/v1/chat/messages", json={"content": "Hi", "role": "user"})
    assert message.status_code == 201, message.text

    events = await feed(api)
    assert [e["type"] for e in events] == [
        "call.started",
        "call.transcribed",
        "call.ended",
        "chat.message_received",
    ]
    # Transcripts can be huge; the event carries the call without it.
    assert "transcript" not in events[1]["data"]
    assert events[1]["data"]["id"] == call["id"]
    assert events[3]["data"]["id"] == message.json()["id"]


async def test_a_failed_request_writes_no_event(
    api: Api, tenant: Tenant, services: Services
) -> None:
    response = await api.post("/v1/calls", json={"direction": "inbound", "leadId": "lead_nope"})
    assert response.status_code in (404, 422)
    async with services.db.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Event).where(Event.workspace_id == tenant.id)
        )
    assert count == 0


async def test_the_feed_pages_by_cursor_and_filters_by_type_and_time(api: Api) -> None:
    for name in ("a", "b", "c"):
        await api.post("/v1/leads", json={"name": name})
    await api.post("/v1/chat/messages", json={"content": "Hi", "role": "user"})

    first = await api.get("/v1/events?sort=timestamp&limit=2&type=lead.created")
    body = first.json()
    assert [e["data"]["name"] for e in body["data"]] == ["a", "b"]
    assert body["pagination"]["hasMore"] is True
    rest = await api.get(
        f"/v1/events?sort=timestamp&limit=2&type=lead.created&cursor={body['pagination']['nextCursor']}"
    )
    assert [e["data"]["name"] for e in rest.json()["data"]] == ["c"]

    exact = await feed(api, "&type=chat.message_received,lead.updated")
    assert [e["type"] for e in exact] == ["chat.message_received"]
    later = await feed(api, "&createdAfter=2999-01-01T00:00:00Z")
    assert later == []


@pytest.mark.parametrize("bad", ["Lead.created", "lead..x", "lead.*.x", "*lead", "a b"])
async def test_a_malformed_type_filter_is_a_400(api: Api, bad: str) -> None:
    response = await api.get("/v1/events", params={"type": bad})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["invalid"] == [bad]


async def test_the_feed_needs_events_read(tenant: Tenant, http: Any) -> None:
    api = Api(http, await tenant.key(["leads:read"]))
    denied = await api.get("/v1/events")
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["requiredScope"] == "events:read"
