"""A lead's page: the lead, its calls, its events with their webhook deliveries, and each
connection's sync state for it; an unknown lead is a 404."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy import select

from core.connections.models import Connection, ExternalRecord, SyncItem
from core.database import utcnow
from core.events.models import Event
from core.webhooks.models import Delivery
from tests.conftest import Api, Tenant
from tests.core.partners.test_endpoints import onboard
from tests.core.webhooks.receiver import eventually
from tests.dashboard.conftest import Page
from tests.oauth.conftest import Person
from tests.support.partners import partner_key


async def test_a_leads_page_shows_where_it_went(
    page: Page, member: Person, tenant: Tenant, api: Api
) -> None:
    lead = (await api.post("/v1/leads", json={"name": "Ada <Lovelace>", "source": "web"})).json()
    await api.patch(f"/v1/leads/{lead['id']}", json={"status": "contacted"})
    called = await api.post("/v1/calls", json={"leadId": lead["id"], "outcome": "connected"})
    assert called.status_code == 201
    async with page.services.db.session() as session:
        created = await session.scalar(
            select(Event).where(Event.type == "lead.created", Event.workspace_id == tenant.id)
        )
        assert created is not None
        session.add(
            Delivery(
                workspace_id=tenant.id,
                event_id=created.id,
                event_type=created.type,
                url="https://crm.example/hooks",
                payload="{}",
                status="succeeded",
                last_status_code=200,
            )
        )
        connection = Connection(
            workspace_id=tenant.id,
            connector="slack",
            name="Team Slack",
            status="active",
            auth_type="oauth2",
            push_routes={},
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        session.add(
            ExternalRecord(
                connection_id=connection.id,
                object_type="lead_card",
                hubwire_id=lead["id"],
                external_id=f"{lead['id']}|C0LEADS=1700000000.000001",
            )
        )
        session.add(
            SyncItem(
                connection_id=connection.id,
                object_type="lead_card",
                hubwire_id=lead["id"],
                event_id=created.id,
                state="failed",
                error="Slack refused the message",
            )
        )
    await page.login(member)
    shown = await page.get(f"/dashboard/leads/{lead['id']}")
    assert shown.status_code == 200, shown.text
    text = html.unescape(shown.text)
    assert "Ada <Lovelace>" in text and 'id="lead-status">contacted<' in text
    assert "connected" in text  # the call
    assert "lead.created" in text and "lead.updated" in text
    assert "https://crm.example/hooks" in text and "succeeded" in text
    assert "Team Slack" in text and "C0LEADS=1700000000.000001" in text
    assert "Slack refused the message" in text
    assert (await page.get("/dashboard/leads/lead_nope")).status_code == 404


async def test_a_partners_deliveries_are_not_shown_to_the_workspace(
    page: Page, make_user: Callable[..., Awaitable[Person]], http: httpx.AsyncClient
) -> None:
    partner = Api(http, await partner_key(page.services, ["leads:write"]))
    workspace = await onboard(partner)
    inside = {"Hubwire-Workspace": workspace["id"]}
    hook = await partner.post(
        "/v1/partner/webhooks",
        json={"url": "https://partner.example/all-customers", "events": ["lead.*"]},
    )
    assert hook.status_code == 201, hook.text
    lead = await partner.post("/v1/leads", json={"name": "Grace"}, headers=inside)
    assert lead.status_code == 201, lead.text

    async def fanned_out() -> bool:
        listed = await partner.get(f"/v1/partner/webhooks/{hook.json()['id']}/deliveries")
        return len(listed.json()["data"]) == 1

    await eventually(fanned_out)
    owner = await make_user(Tenant(workspace["id"], workspace["slug"], "", page.services), "owner")
    await page.login(owner)
    shown = await page.get(f"/dashboard/leads/{lead.json()['id']}")
    assert shown.status_code == 200, shown.text
    assert "lead.created" in shown.text
    assert "partner.example" not in shown.text
