"""Push: events become coalesced batch writes at the provider, mapped by id, retried
sensibly, held while the connection is paused. Real HTTP against the CRM sandbox over
loopback; each test on SQLite (embedded) and on PostgreSQL + Redis."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from connectors.kit import Direction, ObjectSpec
from core.calls.models import Call
from core.connections.models import SyncItem
from core.connections.repository import ConnectionRepository
from core.database import utcnow
from core.events.service import emit
from sync.engine import push_connection
from sync.engine.common import SyncDeps
from sync.engine.run import queue_backfill, sync_connection
from tests.sync.engine_kit import BATCH, CrmState, Env, SyncCrm, registered


async def _setup(env: Env, crm: SyncCrm, sandbox: str, **kwargs: object) -> tuple[str, str]:
    workspace = await env.workspace()
    connection = await env.connect(workspace, sandbox, connector=crm, **kwargs)  # type: ignore[arg-type]
    return workspace, connection


def _people(n: int, start: int = 0) -> list[dict[str, str]]:
    return [{"name": f"Person {i}", "email": f"p{i}@example.com"} for i in range(start, start + n)]


async def test_events_are_coalesced_per_record_and_sent_in_full_batches(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    ids = await env.create_leads(workspace, *_people(7))
    for n in range(3):  # three more events about one lead: still one record to send
        await env.update_lead(workspace, ids[0], company=f"Company v{n}")
    await env.fan_out()
    assert len(await env.items(connection)) == 10

    stats = await push_connection(env.deps, connection)

    assert stats.stopped is None
    assert (stats.pushed, stats.failed) == (7, 0)
    assert state.stats["batch_writes"] == 3  # 7 records in batches of BATCH = 3: 3, 3, 1
    assert state.stats["records_written"] == 7
    assert len(state.contacts()) == 7
    # The provider has the lead as it is now, not as the first event saw it.
    assert state.by_email("p0@example.com")["fields"]["company"] == "Company v2"
    assert {i.state for i in await env.items(connection)} == {"done"}
    links = await env.id_map(connection)
    assert set(links) == set(ids)
    assert len(set(links.values())) == 7
    logs = await env.logs(connection, "push")
    assert sorted(log.processed for log in logs) == [1, BATCH, BATCH]
    assert all(log.provider_calls == 1 for log in logs)


async def test_a_rerun_sends_nothing_and_updates_never_duplicate(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    ids = await env.create_leads(workspace, *_people(4))
    await env.fan_out()
    await push_connection(env.deps, connection)
    writes = state.stats["batch_writes"]
    before = await env.id_map(connection)

    # Everything queued again (a full sync): nothing changed, so no provider call at all.
    target_queue = await queue_backfill_for(env, connection)
    assert target_queue == 4
    again = await push_connection(env.deps, connection)
    assert (again.pushed, again.unchanged) == (0, 4)
    assert state.stats["batch_writes"] == writes

    # A change is an update of the same provider record.
    await env.update_lead(workspace, ids[1], name="Renamed")
    await env.fan_out()
    await push_connection(env.deps, connection)
    assert state.stats["batch_writes"] == writes + 1
    assert len(state.contacts()) == 4
    assert state.objects["contacts"][before[ids[1]]]["fields"]["name"] == "Renamed"
    assert await env.id_map(connection) == before


async def queue_backfill_for(env: Env, connection: str) -> int:
    from sync.engine.common import load_target

    return await queue_backfill(env.deps, await load_target(env.db, connection))


async def test_a_lost_commit_does_not_duplicate_the_record(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    """The provider accepted a create, then the worker died before storing the id: the
    re-push is matched by email at the provider (at least once, no duplicate)."""
    workspace, connection = await _setup(env, crm, sandbox)
    await env.create_leads(workspace, *_people(2))
    await env.fan_out()
    await push_connection(env.deps, connection)
    async with env.db.session() as session:
        from sqlalchemy import delete, update

        from core.connections.models import ExternalRecord, SyncItem

        await session.execute(
            delete(ExternalRecord).where(ExternalRecord.connection_id == connection)
        )
        await session.execute(
            update(SyncItem).where(SyncItem.connection_id == connection).values(state="pending")
        )
    await push_connection(env.deps, connection)
    assert len(state.contacts()) == 2
    assert len(await env.id_map(connection)) == 2


async def test_paused_connections_keep_their_items_until_resumed(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox, status="paused")
    await env.create_leads(workspace, *_people(2))
    await env.fan_out()

    stats = await push_connection(env.deps, connection)
    assert stats.stopped == "connection is paused"
    assert [i.state for i in await env.items(connection)] == ["pending", "pending"]
    assert state.stats["requests"] == 0

    await env.set_status(connection, "active")
    stats = await push_connection(env.deps, connection)
    assert stats.pushed == 2
    assert len(state.contacts()) == 2


async def test_a_429_is_waited_out_and_not_counted_as_an_attempt(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState, caplog: pytest.LogCaptureFixture
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    await env.create_leads(workspace, *_people(2))
    await env.fan_out()
    state.force_429, state.retry_after = 1, 1.0

    with caplog.at_level(logging.INFO, logger="hubwire.sync"):
        stats = await push_connection(env.deps, connection)

    assert "provider rate limited, waiting 1.0 s" in caplog.text  # Retry-After was honoured
    assert state.stats["rate_limited"] == 1
    assert stats.pushed == 2
    assert {(i.state, i.attempts) for i in await env.items(connection)} == {("done", 0)}


async def test_a_refused_record_is_retried_then_failed(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    ids = await env.create_leads(workspace, *_people(2))
    state.reject_emails.add("p1@example.com")
    await env.fan_out()

    for attempt in range(1, env.settings.sync_max_attempts + 1):
        stats = await push_connection(env.deps, connection)
        bad = next(i for i in await env.items(connection) if i.hubwire_id == ids[1])
        assert bad.attempts == attempt
        assert "refused" in (bad.error or "")
    assert bad.state == "failed"
    good = next(i for i in await env.items(connection) if i.hubwire_id == ids[0])
    assert good.state == "done"
    assert stats.failed == 1
    assert any(log.failed == 1 for log in await env.logs(connection, "push"))


async def test_a_failed_record_waits_before_its_next_try_and_longer_each_time(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    deps = _backing_off(env)
    workspace, connection = await _setup(env, crm, sandbox)
    ids = await env.create_leads(workspace, *_people(2))
    state.reject_emails.add("p1@example.com")
    await env.fan_out()

    async def bad_item() -> SyncItem:
        return next(i for i in await env.items(connection) if i.hubwire_id == ids[1])

    async def due_connections() -> list[str]:
        async with env.db.session() as session:
            return await ConnectionRepository(session).with_pending_push(utcnow())

    for tries, wait in ((1, 60), (2, 120)):
        before = utcnow()
        await push_connection(deps, connection)
        after = utcnow()
        bad = await bad_item()
        assert (bad.state, bad.attempts) == ("pending", tries)
        assert bad.next_attempt_at is not None
        assert before + timedelta(seconds=wait) <= bad.next_attempt_at
        assert bad.next_attempt_at <= after + timedelta(seconds=wait)
        # Not due: neither the next push nor the sweeper touches it.
        await push_connection(deps, connection)
        assert (await bad_item()).attempts == tries
        assert connection not in await due_connections()
        # Its wait is over (time moved on).
        async with env.db.session() as session:
            await session.execute(
                update(SyncItem)
                .where(SyncItem.id == bad.id)
                .values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )
        assert connection in await due_connections()

    await push_connection(deps, connection)
    assert (await bad_item()).state == "failed"  # 3 tries (sync_max_attempts in these tests)
    good = next(i for i in await env.items(connection) if i.hubwire_id == ids[0])
    assert (good.state, good.attempts) == ("done", 0)


async def test_refused_credentials_stop_the_push_and_keep_the_work(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox, api_key="wrong")
    await env.create_leads(workspace, *_people(1))
    await env.fan_out()

    stats = await push_connection(env.deps, connection)

    assert stats.stopped is not None and "refused" in stats.stopped
    assert [(i.state, i.attempts) for i in await env.items(connection)] == [("pending", 0)]
    assert [log.level for log in await env.logs(connection, "push")] == ["error"]


async def _ended_call(env: Env, workspace: str, lead_id: str, **fields: Any) -> Call:
    """An ended call of the lead, written with its ``call.ended`` event."""
    async with env.db.session() as session:
        call = Call(
            workspace_id=workspace,
            lead_id=lead_id,
            direction="outbound",
            status="ended",
            started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            duration_seconds=42,
            **fields,
        )
        session.add(call)
        await session.flush()
        emit(session, workspace_id=workspace, type="call.ended", data={"id": call.id})
    return call


def _backing_off(env: Env) -> SyncDeps:
    """The engine's dependencies with push retries backing off 60 s (these tests' settings
    retry at once)."""
    settings = env.settings.model_copy(update={"sync_retry_base_seconds": 60})
    return dataclasses.replace(env.deps, settings=settings)


async def test_calls_and_deals_point_at_the_leads_contact(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    (lead_id,) = await env.create_leads(workspace, *_people(1))
    call = await _ended_call(env, workspace, lead_id, summary="Wants a demo.")
    await env.update_lead(workspace, lead_id, status="converted")  # lead.converted -> a deal
    await env.fan_out()

    stats = await push_connection(env.deps, connection)

    assert stats.failed == 0
    contact_id = (await env.id_map(connection))[lead_id]
    (pushed_call,) = state.objects["calls"].values()
    assert pushed_call["related"] == {"lead": contact_id}
    assert pushed_call["fields"]["started_at"] == "2026-01-02T03:04:05Z"
    assert pushed_call["fields"]["summary"] == "Wants a demo."
    (deal,) = state.objects["deals"].values()
    assert deal["related"] == {"lead": contact_id}
    assert await env.id_map(connection, "call") == {call.id: pushed_call["id"]}


async def test_a_call_waiting_for_its_leads_contact_is_not_held_back_by_the_backoff(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    deps = _backing_off(env)
    workspace, connection = await _setup(env, crm, sandbox)
    (lead_id,) = await env.create_leads(workspace, *_people(1))
    state.reject_emails.add("p0@example.com")  # the lead's contact is refused for now
    await _ended_call(env, workspace, lead_id)
    await env.fan_out()

    before = utcnow()
    await push_connection(deps, connection)
    after = utcnow()

    items = {i.object_type: i for i in await env.items(connection)}
    lead_item, call_item = items["contact"], items["call"]
    assert (lead_item.state, lead_item.attempts) == ("pending", 1)
    assert lead_item.next_attempt_at is not None
    assert lead_item.next_attempt_at >= before + timedelta(seconds=60)  # the refusal waits
    assert (call_item.state, call_item.attempts) == ("pending", 1)
    assert "not at the provider yet" in (call_item.error or "")
    assert call_item.next_attempt_at is not None and call_item.next_attempt_at <= after


async def test_batches_in_flight_stay_within_the_concurrency_limit(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox, concurrency=2)
    await env.create_leads(workspace, *_people(5 * BATCH))
    await env.fan_out()
    # Long enough that the next batch is sent before this one is answered, even when a
    # loaded machine takes a while to prepare it.
    state.write_delay = 1.0

    stats = await push_connection(env.deps, connection)

    assert (stats.pushed, stats.batches) == (5 * BATCH, 5)
    assert state.max_inflight == 2


async def test_a_second_worker_walks_away_and_the_holder_takes_the_new_work(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, crm, sandbox)
    await env.create_leads(workspace, *_people(1))
    await env.fan_out()
    async with env.deps.leases.hold(connection) as held:
        assert held
        stats = await push_connection(env.deps, connection)
        assert stats.stopped == "busy"
        assert state.stats["requests"] == 0
    stats = await push_connection(env.deps, connection)
    assert stats.pushed == 1


async def test_a_full_sync_pushes_records_that_predate_the_connection(
    env: Env, crm: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace = await env.workspace()
    await env.create_leads(workspace, *_people(4))
    await env.fan_out()  # before the connection exists: no push items
    connection = await env.connect(workspace, sandbox, connector=crm)
    assert await env.items(connection) == []

    run = await sync_connection(env.deps, connection, full=True)

    assert run.backfilled == 4
    assert run.summary() == {"pulled": 0, "pushed": 4, "failed": 0}
    assert len(state.contacts()) == 4


class BookkeepingCrm(SyncCrm):
    """Contacts only for converted leads; a call brings its lead (``pushes_lead``), as
    Xero's payments do."""

    manifest = dataclasses.replace(
        SyncCrm.manifest,
        slug="sync_books",
        objects=(
            ObjectSpec("contact", Direction.PUSH, events=("lead.converted",), batch_size=BATCH),
            ObjectSpec(
                "call",
                Direction.PUSH,
                hub_object="call",
                events=("call.ended",),
                batch_size=BATCH,
                pushes_lead=True,
            ),
        ),
    )


@pytest.fixture(scope="module")
def books() -> Iterator[SyncCrm]:
    yield from registered(BookkeepingCrm())


async def test_a_record_that_pushes_its_lead_brings_a_lead_no_event_pushed(
    env: Env, books: SyncCrm, sandbox: str, state: CrmState
) -> None:
    workspace, connection = await _setup(env, books, sandbox)
    lead_id, other_id = await env.create_leads(workspace, *_people(2))
    state.reject_emails.add("p1@example.com")  # the other lead's contact is refused for now
    for lead in (lead_id, lead_id, other_id):
        await _ended_call(env, workspace, lead)
    await env.fan_out()

    await push_connection(env.deps, connection)

    [contact] = state.contacts()
    assert contact["fields"]["email"] == "p0@example.com"
    assert await env.id_map(connection) == {lead_id: contact["id"]}
    calls = state.objects["calls"].values()
    assert [c["related"] for c in calls] == [{"lead": contact["id"]}] * 2
    items = await env.items(connection)
    waiting = [i for i in items if i.state == "pending"]
    assert len(waiting) == 1 and "not at the provider yet" in (waiting[0].error or "")

    # The refusal is lifted: the next run brings the other lead, then its call.
    state.reject_emails.clear()
    await push_connection(env.deps, connection)
    assert len(state.contacts()) == 2 and len(state.objects["calls"]) == 3
    assert {i.state for i in await env.items(connection)} == {"done"}

    # The lead converts later: its contact is linked already, updated, not made again.
    await env.update_lead(workspace, lead_id, status="converted")
    await env.fan_out()
    await push_connection(env.deps, connection)
    assert len(state.contacts()) == 2
    assert state.by_email("p0@example.com")["fields"]["status"] == "converted"


async def test_a_full_sync_brings_only_the_leads_an_object_follows(
    env: Env, books: SyncCrm, sandbox: str, state: CrmState
) -> None:
    """An object that follows only conversions gets the converted leads from a full sync,
    not every prospect of the workspace."""
    workspace = await env.workspace()
    converted, prospect = await env.create_leads(workspace, *_people(2))
    await env.update_lead(workspace, converted, status="converted")
    await env.fan_out()  # before the connection exists: no push items
    connection = await env.connect(workspace, sandbox, connector=books)

    run = await sync_connection(env.deps, connection, full=True)

    assert run.backfilled == 1
    [contact] = state.contacts()
    assert await env.id_map(connection) == {converted: contact["id"]}
    assert prospect not in await env.id_map(connection)
