"""Speed to lead, on both backends: the workspace's response target set through the API
(bad values are 422s), ``lead.response_overdue`` emitted once for a lead still `new` with
no call once the target passed, not for a lead answered in time (a status change, a linked
call), not twice after a restart, and the share of leads answered within the target.

The sweeper's step runs with a clock moved past the target, as a sweep after that moment
would; a second database handle stands in for a restarted worker."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from core.container import Services
from core.database import Database, utcnow
from core.response_targets.models import LeadResponse
from core.response_targets.service import response_targets
from sync.runtime import WorkerRuntime
from sync.sweeper import sweep
from tests.conftest import Api

TARGET = 300


async def _sweep_after_target(services: Services, *, db: Database | None = None) -> int:
    async with (db or services.db).session() as session:
        return await response_targets.emit_overdue(
            session, utcnow() + timedelta(seconds=TARGET + 60)
        )


async def _overdue_events(api: Api, lead_id: str) -> list[dict[str, Any]]:
    listed = await api.get("/v1/events", params={"type": "lead.response_overdue", "limit": 100})
    assert listed.status_code == 200, listed.text
    return [e for e in listed.json()["data"] if e["data"]["id"] == lead_id]


async def _lead(api: Api, **fields: Any) -> str:
    made = await api.post("/v1/leads", json={"name": "Ada", **fields})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@pytest.fixture
async def targeted(api: Api) -> Api:
    saved = await api.request("PUT", "/v1/response-target", json={"targetSeconds": TARGET})
    assert saved.status_code == 200, saved.text
    return api


async def test_the_target_is_set_read_and_turned_off(api: Api) -> None:
    assert (await api.get("/v1/response-target")).json() == {"targetSeconds": None}
    saved = await api.request("PUT", "/v1/response-target", json={"targetSeconds": 600})
    assert saved.json() == {"targetSeconds": 600}
    assert (await api.get("/v1/response-target")).json() == {"targetSeconds": 600}
    off = await api.request("PUT", "/v1/response-target", json={"targetSeconds": None})
    assert off.json() == {"targetSeconds": None}
    assert (await api.get("/v1/response-target")).json() == {"targetSeconds": None}


@pytest.mark.parametrize(
    "body", [{"targetSeconds": 5}, {"targetSeconds": "soon"}, {}, {"target": 300}]
)
async def test_a_bad_target_is_a_422(api: Api, body: dict[str, Any]) -> None:
    refused = await api.request("PUT", "/v1/response-target", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "VALIDATION_FAILED"


async def test_an_unanswered_lead_goes_overdue_once(targeted: Api, services: Services) -> None:
    lead_id = await _lead(targeted)
    async with services.db.session() as session:
        # Before the target: nothing.
        assert await response_targets.emit_overdue(session, utcnow()) == 0
    assert await _overdue_events(targeted, lead_id) == []
    assert await _sweep_after_target(services) >= 1
    (event,) = await _overdue_events(targeted, lead_id)
    assert event["data"]["status"] == "new"
    # A restarted worker sweeps again: the lead is not alerted twice.
    restarted = Database(services.settings.database_url)
    try:
        await _sweep_after_target(services, db=restarted)
    finally:
        await restarted.dispose()
    assert len(await _overdue_events(targeted, lead_id)) == 1


async def test_a_lead_contacted_in_time_is_not_alerted(targeted: Api, services: Services) -> None:
    lead_id = await _lead(targeted)
    changed = await targeted.patch(f"/v1/leads/{lead_id}", json={"status": "contacted"})
    assert changed.status_code == 200
    await _sweep_after_target(services)
    assert await _overdue_events(targeted, lead_id) == []


async def test_a_call_linked_in_time_cancels_the_alert(targeted: Api, services: Services) -> None:
    lead_id = await _lead(targeted)
    called = await targeted.post("/v1/calls", json={"leadId": lead_id, "direction": "outbound"})
    assert called.status_code == 201, called.text
    await _sweep_after_target(services)
    assert await _overdue_events(targeted, lead_id) == []
    assert (await targeted.get(f"/v1/leads/{lead_id}")).json()["status"] == "new"


async def test_the_share_answered_within_the_target(targeted: Api, services: Services) -> None:
    answered = await _lead(targeted)
    await targeted.patch(f"/v1/leads/{answered}", json={"status": "qualified"})
    await _lead(targeted)  # still waiting, within the target
    stats = await targeted.get("/v1/response-target/stats")
    assert stats.status_code == 200, stats.text
    assert stats.json() == {
        "leads": 2,
        "answeredWithinTarget": 1,
        "answeredLate": 0,
        "overdue": 0,
        "waiting": 1,
        "shareWithinTarget": 0.5,
    }


async def test_leads_created_without_a_target_are_not_timed(api: Api, services: Services) -> None:
    lead_id = await _lead(api)
    await _sweep_after_target(services)
    assert await _overdue_events(api, lead_id) == []


async def test_the_overdue_event_is_in_the_catalog(api: Api) -> None:
    listed = await api.get("/v1/webhook-events")
    assert "lead.response_overdue" in {t["name"] for t in listed.json()["data"]}


async def test_the_sweeper_alerts_once_across_a_worker_restart(
    targeted: Api, services: Services
) -> None:
    """The real sweeper, in two worker runtimes one after the other (a restart): the lead's
    due time is moved into the past in the database, as if the target had elapsed."""
    lead_id = await _lead(targeted)
    async with services.db.session() as session:
        await session.execute(
            update(LeadResponse)
            .where(LeadResponse.lead_id == lead_id)
            .values(due_at=utcnow() - timedelta(seconds=1))
        )
    for _ in range(2):
        worker = WorkerRuntime(services.settings, None)
        try:
            await asyncio.to_thread(worker.run, sweep)
        finally:
            await asyncio.to_thread(worker.close)
    assert len(await _overdue_events(targeted, lead_id)) == 1
