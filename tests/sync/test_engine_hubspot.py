"""The sync engine with the real HubSpot connector (hubspot-api-client) against the HubSpot
sandbox over loopback: batch creates of 100, the id map, a contact edited in HubSpot pulled
without an echo, last write wins, the 429s of a tighter sandbox limit honoured, and
``hubwire sync run`` as a user runs it. A private-app style static token stands in for the
OAuth consent (the OAuth flow has tests of its own)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from connectors.hubspot.sandbox import SandboxConfig, create_sandbox
from core.connections.credentials import seal_credentials
from core.connections.models import Connection
from core.database import utcnow
from core.leads.models import Lead
from core.plugins.manager import connector_registry
from sync.engine import pull_connection, push_connection
from tests.core.test_cli import HUBWIRE
from tests.support.live_server import serve_asgi
from tests.sync.engine_kit import Env, push_routes, sync_env

TOKEN = "pat-sync-engine-test"
CLIENT_ID = "sandbox-client-id"


class HubSpot:
    """A running sandbox: its URL and its admin surface (acting as a HubSpot user)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())

    def contacts(self) -> dict[str, dict[str, Any]]:
        rows = httpx.get(f"{self.url}/_sandbox/objects/contacts").json()["results"]
        return {row["id"]: row["properties"] for row in rows}

    def create(self, **properties: str) -> None:
        response = httpx.post(
            f"{self.url}/_sandbox/objects/contacts", json={"properties": properties}
        )
        response.raise_for_status()

    def search(self, **equal: str) -> list[str]:
        """The ids HubSpot's search finds now (as an app sees it: the index may lag)."""
        filters = [{"propertyName": k, "operator": "EQ", "value": v} for k, v in equal.items()]
        response = httpx.post(
            f"{self.url}/crm/v3/objects/contacts/search",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"filterGroups": [{"filters": filters}]},
        )
        response.raise_for_status()
        return [row["id"] for row in response.json()["results"]]

    def edit(self, contact_id: str, **properties: str) -> None:
        response = httpx.patch(
            f"{self.url}/_sandbox/objects/contacts/{contact_id}", json={"properties": properties}
        )
        response.raise_for_status()


def _serve(**overrides: Any) -> Any:
    overrides = {"search_index_lag": 0, **overrides}  # searches see writes at once here
    config = SandboxConfig(static_tokens={TOKEN: CLIENT_ID}, **overrides)
    return serve_asgi(create_sandbox(config))


@pytest.fixture
def hubspot() -> Iterator[HubSpot]:
    with _serve() as url:
        yield HubSpot(url)


async def _connect(env: Env, workspace: str, base_url: str) -> str:
    connector = connector_registry()["hubspot"]
    async with env.db.session() as session:
        connection = Connection(
            workspace_id=workspace,
            connector="hubspot",
            status="active",
            auth_type="oauth2",
            base_url=base_url,
            credentials_sealed=seal_credentials(env.secrets, {"access_token": TOKEN}),
            push_routes=push_routes(connector.manifest),
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        return connection.id


def _people(n: int) -> list[dict[str, str]]:
    return [{"name": f"Person {i}", "email": f"p{i}@example.com"} for i in range(n)]


async def test_leads_become_contacts_in_full_batches(env: Env, hubspot: HubSpot) -> None:
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    ids = await env.create_leads(workspace, *_people(250))
    await env.fan_out()

    stats = await push_connection(env.deps, connection)

    assert (stats.pushed, stats.failed, stats.batches) == (250, 0, 3)
    counted = hubspot.stats()
    assert (counted["batch_writes"], counted["batch_records"]) == (3, 250)
    assert counted["rate_limited"] == 0
    contacts = hubspot.contacts()
    assert len(contacts) == 250
    links = await env.id_map(connection)
    assert set(links) == set(ids)
    first = contacts[links[ids[0]]]
    assert (first["firstname"], first["lastname"], first["email"]) == (
        "Person",
        "0",
        "p0@example.com",
    )

    again = await push_connection(env.deps, connection)  # nothing pending: no call
    assert again.claimed == 0
    assert hubspot.stats()["requests"] == counted["requests"]


async def test_a_lead_whose_email_is_in_hubspot_links_to_that_contact(
    env: Env, hubspot: HubSpot
) -> None:
    """HubSpot answers the batch 207 (the duplicate refused, the rest created): the
    duplicate becomes an update of the contact a HubSpot user made, nothing is duplicated."""
    hubspot.create(email="p1@example.com", firstname="Made in HubSpot")
    [existing] = hubspot.contacts()
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    ids = await env.create_leads(workspace, *_people(3))
    await env.fan_out()

    stats = await push_connection(env.deps, connection)

    assert (stats.pushed, stats.failed) == (3, 0)
    contacts = hubspot.contacts()
    assert len(contacts) == 3
    links = await env.id_map(connection)
    assert links[ids[1]] == existing
    assert contacts[existing]["firstname"] == "Person"  # Hubwire's push updated it
    assert hubspot.stats()["batch_writes"] == 2  # the 207 create, the update


async def test_a_hubspot_edit_is_pulled_without_an_echo(env: Env, hubspot: HubSpot) -> None:
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    (lead_id,) = await env.create_leads(workspace, {"name": "Ada Lovelace", "email": "ada@x.io"})
    await env.fan_out()
    await push_connection(env.deps, connection)
    await pull_connection(env.deps, connection)  # our own write comes back: no change
    contact = (await env.id_map(connection))[lead_id]

    await asyncio.sleep(0.01)
    hubspot.edit(contact, company="Analytical Engines", hs_lead_status="CONNECTED")
    stats = await pull_connection(env.deps, connection)

    assert stats.updated == 1
    lead = await env.lead(lead_id)
    assert lead is not None
    assert (lead.company, lead.status) == ("Analytical Engines", "qualified")
    writes = hubspot.stats()["batch_writes"]
    await env.fan_out()  # lead.updated and lead.qualified -> push items
    pushed = await push_connection(env.deps, connection)
    assert (pushed.pushed, pushed.unchanged) == (0, 1)
    assert hubspot.stats()["batch_writes"] == writes

    # Within the search index's settling time the next pull reads the contact again (in
    # case an earlier change is indexed late): it changes nothing and pushes nothing.
    again = await pull_connection(env.deps, connection)
    assert (again.records, again.unchanged, again.updated) == (1, 1, 0)
    await env.fan_out()
    assert (await push_connection(env.deps, connection)).pushed == 0
    assert hubspot.stats()["batch_writes"] == writes


async def _conflicting_edits(env: Env, hubspot: HubSpot) -> tuple[str, str, str, dict[str, str]]:
    """Two leads pushed, then edited on both sides: the first's later edit is HubSpot's,
    the second's Hubwire's. Returns the connection, the two lead ids and the id map."""
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    first, second = await env.create_leads(workspace, *_people(2))
    await env.fan_out()
    await push_connection(env.deps, connection)
    links = await env.id_map(connection)
    await env.update_lead(workspace, first, company="Hubwire (older)")
    hubspot.edit(links[second], company="HubSpot (older)")
    await asyncio.sleep(0.01)
    hubspot.edit(links[first], company="HubSpot (newer)")
    await env.update_lead(workspace, second, company="Hubwire (newer)")
    await env.fan_out()
    return connection, first, second, links


async def test_conflicting_edits_resolve_to_the_last_one(env: Env, hubspot: HubSpot) -> None:
    connection, first, second, links = await _conflicting_edits(env, hubspot)

    await push_connection(env.deps, connection)  # pulls first, then pushes

    contacts = hubspot.contacts()
    lead_one, lead_two = await env.lead(first), await env.lead(second)
    assert lead_one is not None and lead_two is not None
    assert lead_one.company == contacts[links[first]]["company"] == "HubSpot (newer)"
    assert lead_two.company == contacts[links[second]]["company"] == "Hubwire (newer)"


async def test_an_edit_made_while_its_push_was_in_flight_is_not_lost(
    env: Env, hubspot: HubSpot
) -> None:
    """A lead edited in Hubwire while the push of its earlier version was on its way: HubSpot
    stamps that write later than the edit, so by time alone the next pull would take
    HubSpot's (older) content for the newer and overwrite the edit. The push keeps HubSpot's
    modification time from its answer; a contact still at that time holds what was pushed,
    and the edit stands, then goes to HubSpot."""
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    (lead_id,) = await env.create_leads(workspace, {"name": "Grace Hopper", "email": "gh@x.io"})
    await env.fan_out()
    await push_connection(env.deps, connection)
    contact = (await env.id_map(connection))[lead_id]
    written_at = datetime.fromisoformat(hubspot.contacts()[contact]["lastmodifieddate"])

    # The edit the push did not carry, stamped before HubSpot stamped the write.
    await env.update_lead(workspace, lead_id, company="Edited in flight")
    async with env.db.session() as session:
        await session.execute(
            update(Lead)
            .where(Lead.id == lead_id)
            .values(updated_at=written_at - timedelta(milliseconds=5))
        )
    await env.fan_out()

    stats = await pull_connection(env.deps, connection)  # pulls, then pushes what is pending

    assert (stats.records, stats.kept, stats.updated) == (1, 1, 0)
    lead = await env.lead(lead_id)
    assert lead is not None
    assert lead.company == hubspot.contacts()[contact]["company"] == "Edited in flight"


async def test_a_hubspot_edit_the_search_index_does_not_show_yet_is_not_overwritten(
    env: Env,
) -> None:
    """HubSpot's search index lags writes (here by a minute): a contact edited at HubSpot
    just before a push is not in search results yet, so a pull cannot see the edit. The push
    reads the contacts it updates by id (batch read, which does not lag) and settles each
    conflict by the last write, as a pull does."""
    with _serve(search_index_lag=60) as url:
        hubspot = HubSpot(url)
        connection, first, second, links = await _conflicting_edits(env, hubspot)
        assert hubspot.search(company="HubSpot (newer)") == []  # not in the index yet
        writes = hubspot.stats()["batch_writes"]

        stats = await push_connection(env.deps, connection)

        contacts = hubspot.contacts()
        lead_one, lead_two = await env.lead(first), await env.lead(second)
        assert lead_one is not None and lead_two is not None
        assert lead_one.company == contacts[links[first]]["company"] == "HubSpot (newer)"
        assert lead_two.company == contacts[links[second]]["company"] == "Hubwire (newer)"
        assert (stats.pulled.records, stats.pulled.updated, stats.pulled.kept) == (2, 1, 1)
        assert (stats.pushed, stats.unchanged) == (1, 1)
        assert hubspot.stats()["batch_writes"] == writes + 1  # the second contact only
        # Pulling HubSpot's edit into the lead is not echoed back to HubSpot.
        await env.fan_out()
        assert (await push_connection(env.deps, connection)).pushed == 0
        assert hubspot.stats()["batch_writes"] == writes + 1


async def test_hubspot_429s_are_waited_out(tmp_path: Path) -> None:
    """A sandbox stricter than HubSpot's published limit (which the budget follows): the
    429s come, Retry-After is honoured, and every lead still arrives once."""
    async with sync_env("embedded", tmp_path) as env:
        with _serve(rate_limit_max=2, rate_limit_interval=1.0) as url:
            hubspot = HubSpot(url)
            workspace = await env.workspace()
            connection = await _connect(env, workspace, url)
            await env.create_leads(workspace, *_people(450))  # 5 batch creates
            await env.fan_out()

            stats = await push_connection(env.deps, connection)

            assert (stats.pushed, stats.failed, stats.stopped) == (450, 0, None)
            counted = hubspot.stats()
            assert counted["rate_limited"] > 0
            assert counted["batch_records"] == 450
            assert len(hubspot.contacts()) == 450
            assert {i.attempts for i in await env.items(connection)} == {0}


async def test_the_cli_syncs_with_a_progress_bar(
    env: Env, hubspot: HubSpot, tmp_path: Path
) -> None:
    workspace = await env.workspace()
    connection = await _connect(env, workspace, hubspot.url)
    paused = await _connect(env, workspace, hubspot.url)
    await env.set_status(paused, "paused")
    await env.create_leads(workspace, *_people(120))
    await env.fan_out()
    hubspot.create(email="grace@example.com", firstname="Grace")  # the run pulls it first
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HUBWIRE_")},
        "HUBWIRE_DATABASE_URL": env.settings.database_url,
        "HUBWIRE_SECRET_KEY": env.settings.secret_key,
        "HUBWIRE_REDIS_URL": env.settings.redis_url,
        "HUBWIRE_REDIS_PREFIX": env.settings.redis_prefix,
        "HUBWIRE_CONNECTORS": "hubspot",
        "COLUMNS": "120",
    }

    def hubwire(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [HUBWIRE, *args], env=environ, capture_output=True, text=True, timeout=120
        )

    done = await asyncio.to_thread(hubwire, "sync", "run", connection)

    assert done.returncode == 0, done.stderr
    assert "pull contact (1 page)" in done.stdout
    assert "120/120" in done.stdout  # the push bar, complete
    assert "pushed 120 record(s) in 2 batch(es)" in done.stdout
    assert "1 created" in done.stdout
    assert len(hubspot.contacts()) == 121
    names = {lead.name for lead in await env.workspace_leads(workspace)}
    assert "Grace" in names

    unknown = await asyncio.to_thread(hubwire, "sync", "run", "conn_missing")
    assert unknown.returncode == 1
    assert "Connection conn_missing does not exist." in unknown.stderr
    stopped = await asyncio.to_thread(hubwire, "sync", "run", paused)
    assert stopped.returncode == 1
    assert "is paused" in stopped.stderr
