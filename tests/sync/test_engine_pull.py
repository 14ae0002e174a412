"""Pull: provider changes since a cursor become Hubwire leads, resumably, with last write
wins and without echoing them back. Real HTTP against the CRM sandbox over loopback; each
test on SQLite (embedded) and on PostgreSQL + Redis."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from core.connections.models import SyncCursor
from sync.engine import pull_connection, push_connection
from sync.engine.push import pending_count
from tests.sync.engine_kit import (
    PAGE_SIZE,
    SLUG,
    CrmState,
    Env,
    SyncCrm,
)


@pytest.fixture(autouse=True)
def fresh_connector(crm: SyncCrm) -> None:
    crm.pull_calls, crm.crash_on_pull = 0, None


async def _setup(env: Env, crm: SyncCrm, sandbox: str) -> tuple[str, str]:
    workspace = await env.workspace()
    return workspace, await env.connect(workspace, sandbox, connector=crm)


async def _cursor(env: Env, connection: str) -> str | None:
    async with env.db.session() as session:
        value: str | None = await session.scalar(
            select(SyncCursor.cursor).where(SyncCursor.connection_id == connection)
        )
        return value


async def _tick() -> None:
    # The provider's and Hubwire's clocks both tick in microseconds; make "later" certain.
    await asyncio.sleep(0.01)


async def test_pull_creates_new_leads_and_links_known_emails(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    (known,) = await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    ada = state.user_create(name="Ada Lovelace", email="ADA@example.com")
    state.user_create(name="Alan Turing", email="alan@example.com", status="qualified")
    state.user_create(name="No Contact")  # a name is enough for a lead
    state.user_create(email="not-an-email")  # Hubwire refuses it: counted as failed

    stats = await pull_connection(env.deps, connection)

    assert (stats.linked, stats.created, stats.failed) == (1, 2, 1)
    assert stats.pages == 2 and stats.records == 4
    leads = {lead.name: lead for lead in await env.workspace_leads(workspace)}
    assert set(leads) == {"Ada Lovelace", "Alan Turing", "No Contact"}
    assert leads["Ada Lovelace"].id == known  # linked and updated, not duplicated
    assert leads["Alan Turing"].status == "qualified"
    assert leads["Alan Turing"].source == SLUG
    assert (await env.id_map(connection))[known] == ada
    assert await _cursor(env, connection) == "4"
    assert [log.processed for log in await env.logs(connection, "pull")] == [2, 1]


async def test_a_pull_resumes_from_its_cursor_after_a_crash(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    for n in range(5):
        state.user_create(name=f"Person {n}", email=f"p{n}@example.com")
    crm.crash_on_pull = 2  # the worker dies while fetching the second page

    crashed = await pull_connection(env.deps, connection)
    assert crashed.stopped is not None and "died" in crashed.stopped
    assert len(await env.workspace_leads(workspace)) == PAGE_SIZE  # page 1 is committed
    assert await _cursor(env, connection) == str(PAGE_SIZE)

    stats = await pull_connection(env.deps, connection)  # the next worker, from the cursor

    assert stats.records == 5 - PAGE_SIZE
    emails = sorted(lead.email or "" for lead in await env.workspace_leads(workspace))
    assert emails == [f"p{n}@example.com" for n in range(5)]  # each exactly once
    assert state.stats["pulls"] == 1 + 2  # page 1, then pages 2 and 3

    # A page applied twice (a crash between the provider's answer and the commit looks
    # the same) changes nothing: the id map finds every record.
    async with env.db.session() as session:
        cursor = await session.get(SyncCursor, (connection, "contact"))
        assert cursor is not None
        cursor.cursor = "0"
    again = await pull_connection(env.deps, connection)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert len(await env.workspace_leads(workspace)) == 5


async def test_a_provider_edit_is_applied_and_not_echoed_back(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    (lead_id,) = await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    await push_connection(env.deps, connection)
    contact = (await env.id_map(connection))[lead_id]
    await pull_connection(env.deps, connection)  # reads back our own write: nothing to do
    lead = await env.lead(lead_id)
    assert lead is not None and lead.company is None
    writes = state.stats["batch_writes"]

    await _tick()
    state.user_edit(contact, company="Analytical Engines")
    stats = await pull_connection(env.deps, connection)
    assert stats.updated == 1
    lead = await env.lead(lead_id)
    assert lead is not None and lead.company == "Analytical Engines"

    # The update emitted lead.updated, which fans out to this connection's queue...
    await env.fan_out()
    assert [i.state for i in await env.items(connection)][-1] == "pending"
    pushed = await push_connection(env.deps, connection)
    # ...and the push finds the lead as the provider has it: no write goes back.
    assert (pushed.pushed, pushed.unchanged) == (0, 1)
    assert state.stats["batch_writes"] == writes
    assert {i.state for i in await env.items(connection)} == {"done"}


async def test_a_pulled_create_is_not_echoed_back(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    _workspace, connection = await _setup(env, crm, sandbox)
    state.user_create(name="Grace", email="grace@example.com")
    await pull_connection(env.deps, connection)
    await env.fan_out()  # lead.created -> a push item
    assert len(await env.items(connection)) == 1

    stats = await push_connection(env.deps, connection)

    assert (stats.pushed, stats.unchanged) == (0, 1)
    assert state.stats["batch_writes"] == 0
    assert len(state.contacts()) == 1


async def test_last_write_wins_when_the_provider_wrote_last(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    (lead_id,) = await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    await push_connection(env.deps, connection)
    contact = (await env.id_map(connection))[lead_id]
    writes = state.stats["batch_writes"]

    await _tick()
    await env.update_lead(workspace, lead_id, company="Hubwire's edit")
    await _tick()
    state.user_edit(contact, company="CRM's edit")  # later: it wins
    await env.fan_out()

    # The push pulls first, sees the provider's newer edit and applies it instead of
    # overwriting it; the lead's own change is then already in sync.
    stats = await push_connection(env.deps, connection)

    assert stats.pulled.updated == 1
    assert stats.pushed == 0
    lead = await env.lead(lead_id)
    assert lead is not None and lead.company == "CRM's edit"
    assert state.objects["contacts"][contact]["fields"]["company"] == "CRM's edit"
    assert state.stats["batch_writes"] == writes


async def test_last_write_wins_when_hubwire_wrote_last(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    (lead_id,) = await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    await push_connection(env.deps, connection)
    contact = (await env.id_map(connection))[lead_id]

    await _tick()
    state.user_edit(contact, company="CRM's edit")
    await _tick()
    await env.update_lead(workspace, lead_id, company="Hubwire's edit")  # later: it wins

    # A scheduled pull first: the older provider edit is not applied...
    stats = await pull_connection(env.deps, connection)
    assert stats.kept == 1
    lead = await env.lead(lead_id)
    assert lead is not None and lead.company == "Hubwire's edit"

    # ...and the pending push sends Hubwire's version.
    await env.fan_out()
    pushed = await push_connection(env.deps, connection)
    assert pushed.pushed == 1
    assert state.objects["contacts"][contact]["fields"]["company"] == "Hubwire's edit"


async def test_a_lead_deleted_in_hubwire_is_not_resurrected(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    contact = state.user_create(name="Gone", email="gone@example.com")
    await pull_connection(env.deps, connection)
    (lead,) = await env.workspace_leads(workspace)
    async with env.db.session() as session:
        from core.leads.service import leads

        await leads.delete(session, workspace_id=workspace, lead_id=lead.id)
    await env.fan_out()
    pushed = await push_connection(env.deps, connection)
    assert pushed.missing == 1  # push never deletes at the provider
    assert contact in state.objects["contacts"]

    await _tick()
    state.user_edit(contact, company="Still here")
    stats = await pull_connection(env.deps, connection)

    assert stats.skipped == 1
    assert await env.workspace_leads(workspace) == []


async def test_a_pull_asked_for_while_busy_is_run_by_the_holder(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    state.user_create(name="Alan", email="alan@example.com")
    async with env.deps.leases.hold(connection) as held:
        assert held
        busy = await pull_connection(env.deps, connection)  # an inbound webhook's pull
        assert busy.stopped == "busy"
    # The lease holder (here: the next push) pulls before it lets go.
    stats = await push_connection(env.deps, connection)
    assert stats.pulled.created == 1
    names = sorted(lead.name or "" for lead in await env.workspace_leads(workspace))
    assert names == ["Ada", "Alan"]


async def test_a_pull_holder_pushes_what_is_pending_before_it_lets_go(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    """Push tasks walk away from a held lease: a pull holder that pulled again and again
    (pulls asked for meanwhile) and never pushed would keep the push out."""
    workspace, connection = await _setup(env, crm, sandbox)
    await env.create_leads(workspace, {"name": "Ada", "email": "ada@example.com"})
    await env.fan_out()
    async with env.deps.leases.hold(connection) as held:
        assert held
        busy = await push_connection(env.deps, connection)  # the sweeper's push task
        assert busy.stopped == "busy"
    await pull_connection(env.deps, connection)
    assert len(await env.id_map(connection)) == 1  # Ada reached the provider
    assert await pending_count(env.deps, connection) == 0
