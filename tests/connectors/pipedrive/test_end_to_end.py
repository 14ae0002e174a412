"""Pipedrive end to end: connected through the sandbox's OAuth consent (the token answer's
``api_domain`` becomes the API root), leads pushed as persons with a Pipedrive lead each,
the sandbox's webhooks (HTTP Basic, exactly the requests it would send: its outbox)
waking the pull, no echo, a worker dying mid-push, and a revoked grant. Every Pipedrive
call is real HTTP to the sandbox."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Tenant
from tests.connectors.pipedrive.conftest import PipedriveSandbox
from tests.support.connector_hub import Hubwire

WEBHOOKS = "/v1/connectors/pipedrive/webhooks"


@pytest.fixture
async def hub(
    hubwire: httpx.AsyncClient,
    pipedrive_app: FastAPI,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> Hubwire:
    return Hubwire(hubwire, await tenant.key(), pipedrive_app, monkeypatch)


async def _connect(hub: Hubwire, pipedrive: PipedriveSandbox) -> dict[str, Any]:
    return await hub.connect("pipedrive", f"{pipedrive.url}/oauth/authorize")


async def _deliver(hub: Hubwire, message: dict[str, Any]) -> httpx.Response:
    """Posts a webhook exactly as the sandbox would have sent it."""
    return await hub.http.post(WEBHOOKS, content=message["body"], headers=message["headers"])


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
    lead = await hub.lead(name="Ada Lovelace", email="ada@example.com")
    await hub.push_all(connection["id"], [lead["id"]])
    (person,) = pipedrive.store.persons.values()
    assert person["name"] == "Ada Lovelace"
    assert [e["value"] for e in person["emails"]] == ["ada@example.com"]
    (pd_lead,) = pipedrive.store.leads.values()
    assert pd_lead["person_id"] == person["id"]

    # Pipedrive tells about the person Hubwire made: the pull finds it unchanged (no echo).
    (created,) = [m for m in pipedrive.outbox() if m["action"] == "create"]
    assert (await _deliver(hub, created)).status_code < 300
    await hub.pull(connection["id"])
    assert await hub.events(lead["id"]) == ["lead.created"]

    # A salesperson renames the person: one lead.updated, and nothing is pushed back.
    pipedrive.update_person(person["id"], name="Ada King")
    assert (await _deliver(hub, pipedrive.outbox()[-1])).status_code < 300
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
    assert (await _deliver(hub, pipedrive.outbox()[-1])).status_code < 300
    gone = await hub.api("GET", f"/v1/leads/{lead['id']}")
    assert gone.status_code == 404


async def test_a_forged_webhook_is_refused(hub: Hubwire, pipedrive: PipedriveSandbox) -> None:
    await _connect(hub, pipedrive)
    pipedrive.create_person(name="Grace Hopper")
    message = pipedrive.outbox()[-1]
    forged = {**message, "headers": {**message["headers"], "authorization": "Basic aHViOng="}}
    assert (await _deliver(hub, forged)).status_code == 401


async def test_a_worker_dying_mid_push_resumes_without_duplicates(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    leads = [await hub.lead(name=f"Lead {n}", email=f"l{n}@example.com") for n in range(3)]
    ids = [lead["id"] for lead in leads]
    await hub.push_all(connection["id"], ids)
    assert len(pipedrive.store.persons) == 3
    # As if the worker died after Pipedrive accepted the writes and before the commit.
    await hub.die_before_commit(ids)
    await hub.push_all(connection["id"], ids)
    assert len(pipedrive.store.persons) == 3
    assert len(pipedrive.store.leads) == 3
    assert await hub.mapped(ids) == sorted(str(p) for p in pipedrive.store.persons)


async def test_a_revoked_grant_requires_reauthorization(
    hub: Hubwire, pipedrive: PipedriveSandbox
) -> None:
    connection = await _connect(hub, pipedrive)
    pipedrive.revoke()
    await hub.lead(name="Late Lead", email="late@example.com")
    for _ in range(100):  # this push, or the session worker's, meets the revoked grant
        await hub.push(connection["id"])
        shown = await hub.get(f"/v1/connections/{connection['id']}")
        if shown["status"] != "active":
            break
        await asyncio.sleep(0.1)
    assert shown["status"] == "reauthorization_required"
    assert pipedrive.store.persons == {}
