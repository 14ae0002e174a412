"""Calendly end to end: connected through the sandbox's OAuth consent, bookings made "on
Calendly" (the sandbox's admin surface) arrive as signed webhooks, which wake the pull that
turns them into leads, appointments and events. Every Calendly call is real HTTP to the
sandbox; the webhooks delivered are exactly the requests the sandbox signed (its outbox)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from connectors.calendly.sandbox import DEFAULT_SIGNING_KEY
from connectors.calendly.signature import sign
from core.connections.models import ExternalRecord, SyncLog
from core.container import Services
from core.tasks import PULL_TASK
from sync.engine import PullStats, pull_connection
from sync.runtime import build_sync_deps
from tests.conftest import Api, Tenant
from tests.connectors.calendly.conftest import CalendlySandbox
from tests.support.consent import approve
from tests.support.sync_runs import when_free
from tests.support.tasks import Sent

WEBHOOKS = "/v1/connectors/calendly/webhooks"


class Hubwire:
    """The API as a workspace's key sees it, plus what the worker would do."""

    def __init__(self, http: httpx.AsyncClient, key: str, app: FastAPI, sent: Sent) -> None:
        self.http, self.key, self.app, self.sent = http, key, app, sent

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await Api(self.http, self.key).request(method, path, **kwargs)

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.api("GET", path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def deliver(self, message: dict[str, Any], **changes: Any) -> httpx.Response:
        """Posts one webhook the sandbox signed (``body``/``headers`` overridable)."""
        headers = {**message["headers"], **changes.get("headers", {})}
        body = changes.get("body", message["body"])
        return await self.http.post(WEBHOOKS, content=body, headers=headers)

    async def pull(self, connection_id: str) -> PullStats:
        """The pull a webhook wakes (what a worker runs for the queued task)."""
        services: Services = self.app.state.services
        deps = build_sync_deps(
            services.db, services.settings, services.secrets, services.locks, services.redis
        )
        stats = await when_free(lambda: pull_connection(deps, connection_id))
        assert stats.stopped is None and stats.failed == 0, stats
        return stats

    async def appointments(self, **params: Any) -> list[dict[str, Any]]:
        page = await self.get("/v1/appointments", limit=100, **params)
        return list(page["data"])

    async def events(self, resource_id: str) -> list[str]:
        page = await self.get("/v1/events", sort="timestamp", limit=100)
        return [e["type"] for e in page["data"] if e["data"].get("id") == resource_id]


@pytest.fixture
async def hub(
    hubwire: httpx.AsyncClient,
    calendly_app: FastAPI,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> Hubwire:
    sent = Sent()
    monkeypatch.setitem(calendly_app.state.services.db.session_info, "task_queue", sent)
    return Hubwire(hubwire, await tenant.key(), calendly_app, sent)


async def _connect(hub: Hubwire, calendly: CalendlySandbox) -> dict[str, Any]:
    """POST /v1/connections, the consent at the sandbox (a browser), the callback."""
    created = await hub.api("POST", "/v1/connections", json={"connector": "calendly"})
    assert created.status_code == 201, created.text
    authorize = created.json()["authorizeUrl"]
    assert authorize.startswith(f"{calendly.url}/oauth/authorize")
    callback = urlsplit(await approve(authorize))
    landed = await hub.http.get(f"{callback.path}?{callback.query}")
    assert landed.status_code < 400, landed.text
    connection: dict[str, Any] = await hub.get(f"/v1/connections/{created.json()['id']}")
    assert connection["status"] == "active", connection
    await hub.pull(connection["id"])  # the first pull activation asks for (the backfill)
    hub.sent.tasks.clear()
    return connection


def _messages(calendly: CalendlySandbox, event: str) -> list[dict[str, Any]]:
    return [m for m in calendly.outbox() if m["event"] == event]


async def test_connecting_subscribes_and_disconnecting_unsubscribes(
    hub: Hubwire, calendly: CalendlySandbox
) -> None:
    connection = await _connect(hub, calendly)
    # The sandbox's user owns the organization: one organization-wide subscription.
    assert connection["settings"]["webhookScope"] == "organization"
    assert calendly.stats()["subscriptions"] == 1
    deleted = await hub.api("DELETE", f"/v1/connections/{connection['id']}")
    assert deleted.status_code == 204
    assert calendly.stats()["subscriptions"] == 0


async def test_a_booking_becomes_a_lead_an_appointment_and_events(
    hub: Hubwire, calendly: CalendlySandbox
) -> None:
    connection = await _connect(hub, calendly)
    calendly.book(
        "ada@example.com",
        "2030-05-06T14:00:00Z",
        name="Ada Lovelace",
        timezone="Europe/Paris",
        text_reminder_number="+44 20 7946 0000",
    )
    [message] = _messages(calendly, "invitee.created")
    assert message["url"] == f"http://hubwire.test{WEBHOOKS}"

    delivered = await hub.deliver(message)
    assert delivered.status_code == 202, delivered.text
    assert delivered.json() == {"received": 1, "connections": 1, "duplicate": False}
    assert hub.sent.tasks == [(PULL_TASK, (connection["id"],))]
    await hub.pull(connection["id"])

    [appointment] = await hub.appointments()
    assert appointment["source"] == "calendly"
    assert appointment["status"] == "scheduled"
    assert appointment["title"] == "30 Minute Meeting"
    assert (appointment["startsAt"], appointment["endsAt"]) == (
        "2030-05-06T14:00:00Z",
        "2030-05-06T14:30:00Z",
    )
    assert appointment["timeZone"] == "Europe/Paris"
    assert appointment["joinUrl"].startswith("https://meet.google.com/")
    lead = await hub.get(f"/v1/leads/{appointment['leadId']}")
    assert (lead["name"], lead["email"], lead["phone"], lead["source"]) == (
        "Ada Lovelace",
        "ada@example.com",
        "+44 20 7946 0000",
        "calendly",
    )
    assert await hub.events(lead["id"]) == ["lead.created"]
    assert await hub.events(appointment["id"]) == ["appointment.scheduled"]


async def test_a_reschedule_is_one_rescheduled_appointment(
    hub: Hubwire, calendly: CalendlySandbox
) -> None:
    connection = await _connect(hub, calendly)
    invitee = calendly.book("grace@example.com", "2030-05-07T09:00:00Z", name="Grace Hopper")
    await hub.deliver(_messages(calendly, "invitee.created")[0])
    await hub.pull(connection["id"])

    calendly.reschedule(invitee["uri"], "2030-05-08T16:00:00Z")
    # Calendly's two webhooks: the old invitee canceled (rescheduled), a new one created.
    for message in calendly.outbox()[1:]:
        assert (await hub.deliver(message)).status_code == 202
    await hub.pull(connection["id"])

    [appointment] = await hub.appointments()
    assert appointment["status"] == "rescheduled"
    assert appointment["startsAt"] == "2030-05-08T16:00:00Z"
    assert await hub.events(appointment["id"]) == [
        "appointment.scheduled",
        "appointment.rescheduled",
    ]
    leads = await hub.get("/v1/leads", email="grace@example.com")
    assert leads["pagination"]["total"] == 1


async def test_a_cancellation_cancels_the_appointment(
    hub: Hubwire, calendly: CalendlySandbox
) -> None:
    connection = await _connect(hub, calendly)
    invitee = calendly.book("alan@example.com", "2030-05-09T11:00:00Z")
    await hub.deliver(_messages(calendly, "invitee.created")[0])
    await hub.pull(connection["id"])
    calendly.cancel(invitee["uri"], "Something came up")
    await hub.deliver(_messages(calendly, "invitee.canceled")[0])
    await hub.pull(connection["id"])

    [appointment] = await hub.appointments()
    assert (appointment["status"], appointment["cancelReason"]) == (
        "canceled",
        "Something came up",
    )
    assert await hub.events(appointment["id"]) == [
        "appointment.scheduled",
        "appointment.canceled",
    ]


async def test_a_duplicate_delivery_changes_nothing(
    hub: Hubwire, calendly: CalendlySandbox
) -> None:
    connection = await _connect(hub, calendly)
    calendly.book("edsger@example.com", "2030-05-10T08:00:00Z")
    [message] = _messages(calendly, "invitee.created")
    await hub.deliver(message)
    await hub.pull(connection["id"])
    # One appointment, whichever pull made it (the app's own worker may pull first).
    [before] = await hub.appointments()

    assert (await hub.deliver(message)).status_code == 202  # Calendly retried it
    again = await hub.pull(connection["id"])

    assert again.created == 0 and again.updated == 0
    assert await hub.appointments() == [before]
    assert await hub.events(before["id"]) == ["appointment.scheduled"]


async def test_bad_and_stale_signatures_are_refused_and_change_nothing(
    hub: Hubwire, calendly: CalendlySandbox, tenant: Tenant
) -> None:
    connection = await _connect(hub, calendly)
    calendly.book("mallory@example.com", "2030-05-11T08:00:00Z")
    [message] = _messages(calendly, "invitee.created")
    body = message["body"].encode()
    stale = sign(body, DEFAULT_SIGNING_KEY, int(time.time()) - 600)
    forged = sign(body, "not-the-key", int(time.time()))
    attempts = [
        {"body": message["body"].replace("mallory", "trudy")},  # tampered
        {"headers": {"calendly-webhook-signature": forged}},
        {"headers": {"calendly-webhook-signature": stale}},  # outside the 3-minute window
        {"headers": {"calendly-webhook-signature": ""}},
    ]
    for changes in attempts:
        refused = await hub.deliver(message, **changes)
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"]["code"] == "UNAUTHORIZED"

    assert hub.sent.tasks == []  # no pull woken
    assert await hub.appointments() == []
    async with tenant.services.db.session() as session:
        logged = await session.scalar(
            select(func.count())
            .select_from(SyncLog)
            .where(SyncLog.connection_id == connection["id"], SyncLog.kind == "webhook")
        )
    assert logged == 0


async def test_a_webhook_missed_while_down_is_recovered_by_the_next_pull(
    hub: Hubwire, calendly: CalendlySandbox, tenant: Tenant
) -> None:
    connection = await _connect(hub, calendly)
    known = await hub.api("POST", "/v1/leads", json={"name": "Known", "phone": "+1 415 555 0100"})
    # Booked with another email but the lead's phone: matched by phone, not created.
    calendly.book(
        "barbara@example.com", "2030-05-12T10:00:00Z", text_reminder_number="+1 415 555 0100"
    )
    # Hubwire was down: the webhook never arrived. The next (scheduled) pull finds it.
    await hub.pull(connection["id"])

    [appointment] = await hub.appointments()
    assert appointment["leadId"] == known.json()["id"]
    async with tenant.services.db.session() as session:
        mapped = await session.scalar(
            select(ExternalRecord.external_id).where(
                ExternalRecord.connection_id == connection["id"],
                ExternalRecord.hubwire_id == appointment["id"],
            )
        )
    [missed] = _messages(calendly, "invitee.created")
    assert mapped == json.loads(missed["body"])["payload"]["uri"]
