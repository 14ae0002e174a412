"""Inbound provider webhooks (POST /v1/connectors/{slug}/webhooks): verified with Hubwire's
client secret at the provider, routed by account, deletions applied, updates waking a pull.

The webhooks are made by the HubSpot sandbox's own sender (what HubSpot would post)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from connectors.hubspot.connector import HubSpotConnector
from connectors.hubspot.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    OAuthApp,
    SandboxConfig,
)
from connectors.hubspot.sandbox.store import Change
from connectors.hubspot.sandbox.webhooks import WebhookSender
from core.app import create_app
from core.connections.models import Connection, ExternalRecord, SyncLog
from core.database import utcnow
from core.leads.models import Lead
from core.settings import ConnectorClient, Settings
from core.tasks import PULL_TASK
from tests.conftest import Tenant
from tests.support.tasks import Sent

BASE = "http://hubwire.test"
PATH = "/v1/connectors/hubspot/webhooks"
_portals = iter(range(700_000, 800_000))


@pytest.fixture(scope="module")
async def hubspot_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An app that knows Hubwire's HubSpot app (its secret checks the signatures); no worker
    of its own, so a woken pull stays in the database for the test to see."""
    client = ConnectorClient(client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET)
    app = create_app(
        settings.model_copy(
            update={
                "connector_clients": {"hubspot": client},
                "public_base_url": BASE,
                "embedded_worker": False,
            }
        )
    )
    async with app.router.lifespan_context(app):
        yield app


def _webhook(
    change: Change, portal: int, *, secret: str = DEFAULT_CLIENT_SECRET
) -> tuple[dict[str, str], str]:
    """What HubSpot posts about ``change`` in ``portal``, signed with ``secret``."""
    config = SandboxConfig(
        webhook_target_url=BASE + PATH,
        portal_id=portal,
        apps=(OAuthApp(DEFAULT_CLIENT_ID, secret),),
    )
    sender = WebhookSender(config)
    body = json.dumps(sender.events(change, "CRM_UI"), separators=(",", ":"))
    return sender.signed_request(body, int(time.time() * 1000)), body


async def _post(app: FastAPI, headers: dict[str, str], body: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        return await http.post(PATH, headers=headers, content=body)


def _hubspot_connection(workspace_id: str, portal: int, status: str) -> Connection:
    return Connection(
        workspace_id=workspace_id,
        connector="hubspot",
        status=status,
        auth_type="oauth2",
        account_id=str(portal),
    )


async def _mapped_lead(tenant: Tenant, contact_id: str) -> tuple[str, str, int]:
    """A lead synced with HubSpot contact ``contact_id`` through an active connection to a
    portal of its own (a webhook reaches every connection to its portal)."""
    portal = next(_portals)
    async with tenant.services.db.session() as session:
        lead = Lead(workspace_id=tenant.id, name="Ada", email=f"ada-{contact_id}@example.com")
        connection = _hubspot_connection(tenant.id, portal, "active")
        session.add_all([lead, connection])
        await session.flush()
        session.add(
            ExternalRecord(
                connection_id=connection.id,
                object_type="contact",
                hubwire_id=lead.id,
                external_id=contact_id,
            )
        )
        return lead.id, connection.id, portal


async def test_a_deletion_in_hubspot_deletes_the_synced_lead(
    hubspot_app: FastAPI, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id, connection_id, portal = await _mapped_lead(tenant, "9001")
    sent = Sent()
    monkeypatch.setitem(hubspot_app.state.services.db.session_info, "task_queue", sent)
    headers, body = _webhook(
        Change("contacts", "9001", False, {}, time.time(), deleted=True), portal
    )

    response = await _post(hubspot_app, headers, body)

    assert response.status_code == 202, response.text
    assert response.json() == {"received": 1, "connections": 1, "duplicate": False}
    # Applied by the webhook itself: no pull is asked for. (The app's sweeper may still
    # schedule the pull a never-pulled connection is due; that is not the webhook's doing.)
    assert (PULL_TASK, (connection_id,)) not in sent.tasks
    async with tenant.services.db.session() as session:
        assert await session.get(Lead, lead_id) is None
        mapped = await session.scalars(
            select(ExternalRecord).where(ExternalRecord.connection_id == connection_id)
        )
        assert list(mapped) == []
        logs = list(
            await session.scalars(
                select(SyncLog).where(
                    SyncLog.connection_id == connection_id, SyncLog.kind == "webhook"
                )
            )
        )
        assert [(log.kind, log.processed) for log in logs] == [("webhook", 1)]


async def test_a_change_in_hubspot_is_logged_and_leaves_the_lead_to_the_pull(
    hubspot_app: FastAPI, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id, connection_id, portal = await _mapped_lead(tenant, "9002")
    async with tenant.services.db.session() as session:
        paused = _hubspot_connection(tenant.id, portal, "paused")
        session.add(paused)
    sent = Sent()
    monkeypatch.setitem(hubspot_app.state.services.db.session_info, "task_queue", sent)
    change = Change("contacts", "9002", False, {"company": "AE"}, time.time())
    headers, body = _webhook(change, portal)

    response = await _post(hubspot_app, headers, body)

    assert response.status_code == 202, response.text
    assert response.json() == {"received": 1, "connections": 2, "duplicate": False}
    # The active connection's pull is woken; the paused one waits for its resume.
    assert sent.tasks == [(PULL_TASK, (connection_id,))]
    async with tenant.services.db.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None and lead.company is None  # the pull applies it, not the hook
        # And once more when HubSpot's search index has caught up (the sweeper sends it).
        active = await session.get(Connection, connection_id)
        assert active is not None and active.pull_again_at is not None
        wait = (active.pull_again_at - utcnow()).total_seconds()
        assert 0 < wait <= HubSpotConnector.manifest.webhook_settle_seconds
        # The webhook's own log: the connection (it has no credentials) may have logged a
        # stopped sync of its own meanwhile.
        log = await session.scalar(
            select(SyncLog).where(SyncLog.connection_id == connection_id, SyncLog.kind == "webhook")
        )
        assert log is not None and "1 change(s) reported, 0 deletion(s)" in log.message


async def test_a_batch_hubspot_sends_again_is_acknowledged_and_not_acted_on_twice(
    hubspot_app: FastAPI, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, connection_id, portal = await _mapped_lead(tenant, "9005")
    sent = Sent()
    monkeypatch.setitem(hubspot_app.state.services.db.session_info, "task_queue", sent)
    headers, body = _webhook(Change("contacts", "9005", False, {"phone": "1"}, time.time()), portal)

    first = await _post(hubspot_app, headers, body)
    # HubSpot's retry of the batch: the same events (same eventIds), a later attempt.
    retried = json.dumps([{**e, "attemptNumber": 1} for e in json.loads(body)])
    again = await _post(hubspot_app, _resigned(retried, portal), retried)

    assert first.json() == {"received": 1, "connections": 1, "duplicate": False}
    assert again.status_code == 202, again.text
    assert again.json() == {"received": 1, "connections": 0, "duplicate": True}
    assert sent.tasks.count((PULL_TASK, (connection_id,))) == 1
    async with tenant.services.db.session() as session:
        logs = await session.scalars(
            select(SyncLog).where(SyncLog.connection_id == connection_id, SyncLog.kind == "webhook")
        )
        assert len(list(logs)) == 1
    # A new event about the same contact is acted on.
    headers, body = _webhook(Change("contacts", "9005", False, {"phone": "2"}, time.time()), portal)
    later = await _post(hubspot_app, headers, body)
    assert later.json()["duplicate"] is False
    assert sent.tasks.count((PULL_TASK, (connection_id,))) == 2


def _resigned(body: str, portal: int) -> dict[str, str]:
    config = SandboxConfig(webhook_target_url=BASE + PATH, portal_id=portal)
    return WebhookSender(config).signed_request(body, int(time.time() * 1000))


async def test_a_forged_signature_is_refused_and_changes_nothing(
    hubspot_app: FastAPI, tenant: Tenant
) -> None:
    lead_id, _, portal = await _mapped_lead(tenant, "9003")
    headers, body = _webhook(
        Change("contacts", "9003", False, {}, time.time(), deleted=True), portal, secret="x"
    )

    response = await _post(hubspot_app, headers, body)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    async with tenant.services.db.session() as session:
        assert await session.get(Lead, lead_id) is not None


async def test_another_portal_reaches_no_connection(hubspot_app: FastAPI, tenant: Tenant) -> None:
    lead_id, _, portal = await _mapped_lead(tenant, "9004")
    change = Change("contacts", "9004", False, {}, time.time(), deleted=True)
    headers, body = _webhook(change, portal + 50_000)

    response = await _post(hubspot_app, headers, body)

    assert response.json() == {"received": 1, "connections": 0, "duplicate": False}
    async with tenant.services.db.session() as session:
        assert await session.get(Lead, lead_id) is not None


async def test_an_unknown_connector_is_a_404(hubspot_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=hubspot_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        response = await http.post("/v1/connectors/nope/webhooks", content=b"[]")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_a_provider_checking_the_url_gets_200_for_connectors_with_webhooks(
    hubspot_app: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=hubspot_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        # The URL as registered, with its query (Mailchimp checks that very URL).
        ok = await http.get(f"{PATH}?connection=conn_1&key=k")
        unknown = await http.get("/v1/connectors/nope/webhooks")
    assert ok.status_code == 200 and ok.json() == {"connector": "hubspot"}
    assert unknown.status_code == 404
