"""Pipedrive end to end: connected through the sandbox's OAuth consent (the token answer's
``api_domain`` becomes the API root), leads pushed as persons with a Pipedrive lead each,
the sandbox's webhooks (HTTP Basic, exactly the requests it would send: its outbox)
waking the pull, no echo, a worker dying mid-push, and a revoked grant. Every Pipedrive
call is real HTTP to the sandbox."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select, update

from core.connections.models import ExternalRecord, SyncItem
from core.container import Services
from sync.engine import PullStats, PushStats, pull_connection, push_connection
from sync.engine.common import SyncDeps
from sync.pipeline.fanout import fan_out_pending
from sync.runtime import build_sync_deps
from tests.conftest import Tenant
from tests.connectors.pipedrive.conftest import PipedriveSandbox
from tests.support.consent import approve
from tests.support.tasks import Sent

WEBHOOKS = "/v1/connectors/pipedrive/webhooks"


class Hubwire:
    def __init__(self, http: httpx.AsyncClient, key: str, app: FastAPI) -> None:
        self.http, self.key, self.app = http, key, app
        services: Services = app.state.services
        self.services = services

    @property
    def deps(self) -> SyncDeps:
        s = self.services
        return build_sync_deps(s.db, s.settings, s.secrets, s.locks, s.redis)

    async def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}"}
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.api("GET", path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def deliver(self, message: dict[str, Any]) -> httpx.Response:
        return await self.http.post(WEBHOOKS, content=message["body"], headers=message["headers"])

    async def pull(self, connection_id: str) -> PullStats:
        for _ in range(100):
            stats = await pull_connection(self.deps, connection_id)
            if stats.stopped != "busy":
                return stats
            await asyncio.sleep(0.1)
        pytest.fail("the connection stayed busy")

    async def push(self, connection_id: str) -> PushStats:
        await fan_out_pending(self.services.db)
        for _ in range(100):
            stats = await push_connection(self.deps, connection_id)
            if stats.stopped != "busy":
                return stats
            await asyncio.sleep(0.1)
        pytest.fail("the connection stayed busy")

    async def push_all(self, connection_id: str, hubwire_ids: list[str]) -> None:
        """Pushes until the items of these records are done (the session's worker may take
        some of them: it finds them in the database too)."""
        for _ in range(300):
            await self.push(connection_id)
            async with self.services.db.session() as session:
                pending = await session.scalar(
                    select(func.count())
                    .select_from(SyncItem)
                    .where(SyncItem.hubwire_id.in_(hubwire_ids), SyncItem.done_at.is_(None))
                )
            if not pending:
                return
            await asyncio.sleep(0.1)
        pytest.fail("push items stayed pending")

    async def events(self, resource_id: str) -> list[str]:
        page = await self.get("/v1/events", sort="timestamp", limit=100)
        return [e["type"] for e in page["data"] if e["data"].get("id") == resource_id]


@pytest.fixture
async def hub(
    hubwire: httpx.AsyncClient,
    pipedrive_app: FastAPI,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> Hubwire:
    # Tasks are collected, not sent: the tests run what a worker would.
    monkeypatch.setitem(pipedrive_app.state.services.db.session_info, "task_queue", Sent())
    return Hubwire(hubwire, await tenant.key(), pipedrive_app)


async def _connect(hub: Hubwire, pipedrive: PipedriveSandbox) -> dict[str, Any]:
    created = await hub.api("POST", "/v1/connections", json={"connector": "pipedrive"})
    assert created.status_code == 201, created.text
    authorize = created.json()["authorizeUrl"]
    assert authorize.startswith(f"{pipedrive.url}/oauth/authorize")
    callback = urlsplit(await approve(authorize))
    landed = await hub.http.get(f"{callback.path}?{callback.query}")
    assert landed.status_code < 400, landed.text
    connection: dict[str, Any] = await hub.get(f"/v1/connections/{created.json()['id']}")
    assert connection["status"] == "active", connection
    return connection


async def _lead(hub: Hubwire, **body: Any) -> dict[str, Any]:
    made = await hub.api("POST", "/v1/leads", json=body)
    assert made.status_code == 201, made.text
    lead: dict[str, Any] = made.json()
    return lead


async def test_connect_keeps_api_domain_and_subscribes_with_basic_auth(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    # The token answer's api_domain (the sandbox's own root) is kept, sealed, with the
    # credentials, and the client uses it.
    context = await hub.services.vault.context(connection["id"])
    assert context.credentials["api_domain"] == pipedrive.url
    assert "api_domain" not in connection["settings"]
    assert connection["accountId"] == "13501337"
    hooks = list(pipedrive.store.webhooks.values())
    assert sorted(h["event_object"] for h in hooks) == ["activity", "person"]
    assert {h["subscription_url"] for h in hooks} == {f"http://hubwire.test{WEBHOOKS}"}
    assert {h["http_auth_user"] for h in hooks} == {"hubwire"}
    deleted = await hub.api("DELETE", f"/v1/connections/{connection['id']}")
    assert deleted.status_code == 204
    assert pipedrive.store.webhooks == {}


async def test_push_webhook_echo_and_an_edit_in_pipedrive(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    lead = await _lead(hub, name="Ada Lovelace", email="ada@example.com")
    await hub.push_all(connection["id"], [lead["id"]])
    (person,) = pipedrive.store.persons.values()
    assert person["name"] == "Ada Lovelace"
    assert [e["value"] for e in person["emails"]] == ["ada@example.com"]
    (pd_lead,) = pipedrive.store.leads.values()
    assert pd_lead["person_id"] == person["id"]

    # Pipedrive tells about the person Hubwire made: the pull finds it unchanged (no echo).
    (created,) = [m for m in pipedrive.outbox() if m["action"] == "create"]
    assert (await hub.deliver(created)).status_code < 300
    await hub.pull(connection["id"])
    assert await hub.events(lead["id"]) == ["lead.created"]

    # A salesperson renames the person: one lead.updated, and nothing is pushed back.
    pipedrive.update_person(person["id"], name="Ada King")
    assert (await hub.deliver(pipedrive.outbox()[-1])).status_code < 300
    await hub.pull(connection["id"])
    shown = await hub.get(f"/v1/leads/{lead['id']}")
    assert shown["name"] == "Ada King"
    assert await hub.events(lead["id"]) == ["lead.created", "lead.updated"]
    writes = pipedrive.stats()["batch_writes"]
    again = await hub.push(connection["id"])
    assert again.failed == 0
    assert pipedrive.stats()["batch_writes"] == writes

    # The person is deleted in Pipedrive: its webhook deletes the lead.
    pipedrive.delete_person(person["id"])
    assert (await hub.deliver(pipedrive.outbox()[-1])).status_code < 300
    gone = await hub.api("GET", f"/v1/leads/{lead['id']}")
    assert gone.status_code == 404


async def test_a_forged_webhook_is_refused(hub: Hubwire, pipedrive: PipedriveSandbox) -> None:
    await _connect(hub, pipedrive)
    pipedrive.create_person(name="Grace Hopper")
    message = pipedrive.outbox()[-1]
    forged = {**message, "headers": {**message["headers"], "authorization": "Basic aHViOng="}}
    assert (await hub.deliver(forged)).status_code == 401


async def test_a_worker_dying_mid_push_resumes_without_duplicates(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    leads = [await _lead(hub, name=f"Lead {n}", email=f"l{n}@example.com") for n in range(3)]
    ids = [lead["id"] for lead in leads]
    await hub.push_all(connection["id"], ids)
    assert len(pipedrive.store.persons) == 3
    # As if the worker died after Pipedrive accepted the writes and before the commit:
    # no id map, the items pending again.
    async with hub.services.db.session() as session:
        await session.execute(delete(ExternalRecord).where(ExternalRecord.hubwire_id.in_(ids)))
        await session.execute(
            update(SyncItem)
            .where(SyncItem.hubwire_id.in_(ids))
            .values(state="pending", done_at=None)
        )
    await hub.push_all(connection["id"], ids)
    assert len(pipedrive.store.persons) == 3
    assert len(pipedrive.store.leads) == 3
    async with hub.services.db.session() as session:
        mapped = (
            await session.scalars(
                select(ExternalRecord.external_id).where(ExternalRecord.hubwire_id.in_(ids))
            )
        ).all()
    assert sorted(mapped) == sorted(str(p) for p in pipedrive.store.persons)


async def test_a_revoked_grant_requires_reauthorization(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    pipedrive.revoke()
    await _lead(hub, name="Late Lead", email="late@example.com")
    for _ in range(100):  # this push, or the session worker's, meets the revoked grant
        await hub.push(connection["id"])
        shown = await hub.get(f"/v1/connections/{connection['id']}")
        if shown["status"] != "active":
            break
        await asyncio.sleep(0.1)
    assert shown["status"] == "reauthorization_required"
    assert pipedrive.store.persons == {}
