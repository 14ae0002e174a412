"""The sync engine survives a worker killed with SIGKILL in the middle of a sync: the next
worker resumes from the pull cursor and the push queue, and nothing is lost or duplicated
on either side.

Real pieces only: PostgreSQL, Redis (broker, sync lease, provider budget), `hubwire worker`
subprocesses (Celery, thread pool, embedded beat running the sweeper and the pull
schedule), and the HubSpot connector (hubspot-api-client) talking over loopback to the
HubSpot sandbox served in this process with HubSpot's real limit (100 requests per rolling
10 s). The connection is made with a real OAuth token from the sandbox's consent and token
endpoints.

The story: the sandbox holds CONTACTS contacts and the connection has never pulled, so the
first worker's first sweep pulls them (CONTACTS / 100 pages). Once the pull cursor has
moved, LEADS leads are created in Hubwire (the leads and their `lead.created` events in one
transaction: the outbox); the worker's dispatcher fans them out into push items. One
worker at a time holds a connection's sync lease, so the push starts when the pull lets go,
and the pushed contacts wait for the next pull. The sandbox itself SIGKILLs the worker as
it accepts the KILL_AT_BATCH-th batch create, before answering: HubSpot holds records the
worker never recorded, the cursor sits before the pushed contacts (still to be pulled back)
and the push queue is partly done. A second worker waits out the dead worker's lease
(`HUBWIRE_SYNC_LEASE_SECONDS`, shortened to `LEASE_SECONDS` here), then finishes.

    /tmp/t -q -s -p no:randomly tests/sync/test_sync_faults.py
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy import func, select

from connectors.hubspot import mapping
from connectors.hubspot.connector import PAGE_SIZE as PAGE
from connectors.hubspot.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    Store,
    create_sandbox,
)
from connectors.kit import PullPage
from core.connections.credentials import seal_credentials
from core.connections.models import Connection, ExternalRecord, SyncCursor, SyncItem, SyncLog
from core.connections.provider_oauth import oauth_client_config
from core.crypto import build_secret_box, new_secret_key
from core.database import Database, utcnow
from core.events.models import Event
from core.events.service import emit
from core.leads.models import Lead
from core.leads.schemas import LeadCreate, LeadOut
from core.locks import build_locks
from core.migrations.runner import upgrade_async
from core.plugins.auth import TokenSet
from core.plugins.manager import connector_registry
from core.settings import ConnectorClient, Settings
from core.workspaces.service import workspaces
from oauth.provider_client import AuthlibProviderOAuth
from sync.engine.common import Caller, load_target
from sync.runtime import build_sync_deps
from tests.support.live_server import serve_asgi
from tests.support.processes import WorkerProcess, wait_for
from tests.support.servers import postgres_database, redis_url_or_fail
from tests.sync.engine_kit import push_routes

pytestmark = pytest.mark.postgres

CONTACTS = 6_000  # in the sandbox before the connection: 60 pull pages
LEADS = 6_000  # made in Hubwire once the pull is under way: 60 batch creates
# The worker is killed by the sandbox as it accepts this batch create (of LEADS // 100).
KILL_AT_BATCH = 20
ORIGIN = "fault-test"  # the source of the leads made in Hubwire (pulled ones: "hubspot")
OBJECT = "contact"
PULL_TIMEOUT = 180.0
KILL_TIMEOUT = 300.0
# The dead worker's lease must expire before anyone syncs again; then the rest of the push
# and the pull of every pushed contact, at most 10 calls a second.
LEASE_SECONDS = 10.0
DONE_TIMEOUT = LEASE_SECONDS + 540.0


# -- the provider --------------------------------------------------------------------------


class KillSwitch:
    """Wraps the sandbox: once armed, the ``after``-th batch create it accepts SIGKILLs the
    worker before the answer leaves. HubSpot then holds those records and the worker never
    learns their ids: the worst moment for a crash, hit exactly, however slow the machine
    (a test-side poll can be starved of CPU by the sandbox and the worker)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.fired = threading.Event()
        self._kill: Any = None
        self._after = 0
        self._seen = 0

    def arm(self, kill: Any, after: int) -> None:
        self._kill, self._after, self._seen = kill, after, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._kill is None or not str(scope.get("path", "")).endswith("/batch/create"):
            await self.app(scope, receive, send)
            return

        async def answer(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] < 300:
                self._seen += 1
                if self._kill is not None and self._seen >= self._after:
                    kill, self._kill = self._kill, None
                    kill()
                    self.fired.set()
            await send(message)

        await self.app(scope, receive, answer)


class HubSpot:
    """The sandbox served on loopback (in a thread of this process) and its account."""

    def __init__(self, url: str, store: Store) -> None:
        self.url = url
        self.store = store
        self.switch: KillSwitch | None = None

    def seed(self, count: int) -> None:
        """Contacts made in HubSpot before the connection (not API calls)."""
        for n in range(count):
            self.store.create(
                "contacts",
                {
                    "email": f"hubspot-{n:05d}@example.com",
                    "firstname": "HubSpot",
                    "lastname": f"Contact {n}",
                    "company": "Sandbox Inc",
                },
            )

    def contacts(self) -> dict[str, str]:
        """Live contacts: id -> lower-case email."""
        return {c.id: (c.properties.get("email") or "").lower() for c in self.store.all("contacts")}

    def records_written(self) -> int:
        """Records the sandbox received in batch create/update calls (cheap: a counter)."""
        return self.store.stats().batch_records

    def positions(self) -> list[tuple[int, int]]:
        """Each contact's place in the change feed the connector pulls: (modified ms, id)."""
        return [
            (mapping.epoch_ms(modified), int(c.id))
            for c in self.store.all("contacts")
            if (modified := mapping.parse_time(c.properties.get(mapping.MODIFIED))) is not None
        ]

    def end_cursor(self) -> str:
        """The connector's pull cursor after the last change."""
        ms, last = max(self.positions())
        return f"{ms}:{last}"

    def changed_after(self, cursor: str) -> int:
        """Contacts whose latest change comes after ``cursor`` (what a pull from it reads)."""
        ms, _, last = cursor.partition(":")
        at = (int(ms), int(last))
        return sum(1 for position in self.positions() if position > at)

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())


async def consent_tokens(config: Any) -> TokenSet:
    """The OAuth authorization code flow against the sandbox as a user goes through it:
    the consent page, Approve, and the code exchanged (with PKCE) by Hubwire's client."""
    oauth = AuthlibProviderOAuth()
    request = await oauth.authorization_request(config)
    async with httpx.AsyncClient() as browser:
        page = await browser.get(request.url)
        assert page.status_code == 200, page.text
        fields = {
            k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', page.text)
        }
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action is not None, page.text
        decided = await browser.post(
            html.unescape(action.group(1)), data={**fields, "decision": "approve"}
        )
    assert decided.status_code == 302, decided.text
    code = parse_qs(urlsplit(decided.headers["location"]).query)["code"][0]
    return await oauth.exchange_code(config, code=code, code_verifier=request.code_verifier)


# -- the stack -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What the database says about the sync at one moment."""

    cursor: str | None
    pulled: int  # leads created by the pull (source "hubspot")
    made: int  # leads made in Hubwire (source ORIGIN)
    pushed: int  # of those, linked to a contact in the id map (push recorded)
    links: int  # id map rows of the connection
    items: dict[str, int]  # push items by state
    undispatched: int  # events not fanned out yet

    def line(self) -> str:
        return (
            f"cursor={self.cursor} pulled={self.pulled} made={self.made} "
            f"pushed={self.pushed} links={self.links} items={self.items} "
            f"undispatched={self.undispatched}"
        )


@dataclass
class Stack:
    settings: Settings
    db: Database
    hubspot: HubSpot
    workspace_id: str
    connection_id: str
    logs: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    def worker_env(self) -> dict[str, str]:
        s = self.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUBWIRE_")}
        env.update(
            HUBWIRE_ENVIRONMENT="test",
            HUBWIRE_DATABASE_URL=s.database_url,
            HUBWIRE_BROKER_URL=s.broker_url,
            HUBWIRE_REDIS_URL=s.redis_url,
            HUBWIRE_REDIS_PREFIX=s.redis_prefix,
            HUBWIRE_SECRET_KEY=s.secret_key,
            HUBWIRE_SWEEPER_INTERVAL_SECONDS="0.5",
            HUBWIRE_SYNC_PULL_INTERVAL_SECONDS="1",
            # The dead worker's hold on the connection runs out sooner (default 60 s).
            HUBWIRE_SYNC_LEASE_SECONDS=str(LEASE_SECONDS),
            # The connection's row carries the sandbox's URL (base_url, token_url); the
            # client entry is Hubwire's OAuth app there, for a refresh. No mounted sandbox.
            HUBWIRE_SANDBOXES="false",
            HUBWIRE_CONNECTOR_CLIENTS=json.dumps(
                {name: c.model_dump() for name, c in s.connector_clients.items()}
            ),
            HUBWIRE_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start_worker(self) -> WorkerProcess:
        worker = WorkerProcess(self.worker_env(), self.logs / f"worker-{len(self.workers)}.log")
        worker.start()
        self.workers.append(worker)
        return worker

    def worker_logs(self) -> str:
        return "\n".join(f"--- {w.log}\n{w.tail()}" for w in self.workers)

    async def make_leads(self, count: int) -> list[str]:
        """``count`` leads and their `lead.created` events (the payload the lead service
        emits) committed in ONE transaction, as the lead service writes them one by one:
        the whole push queue appears at once, for the worker's dispatcher to fan out."""
        async with self.db.session() as session:
            made = [
                Lead(
                    workspace_id=self.workspace_id,
                    **LeadCreate(
                        name=f"Hubwire Lead {n}",
                        email=f"hubwire-{n:05d}@example.com",
                        company="Hubwire Ltd",
                        source=ORIGIN,
                    ).model_dump(),
                )
                for n in range(count)
            ]
            session.add_all(made)
            await session.flush()
            for lead in made:
                emit(
                    session,
                    workspace_id=self.workspace_id,
                    type="lead.created",
                    data=LeadOut.model_validate(lead),
                )
            return [lead.id for lead in made]

    async def snapshot(self) -> Snapshot:
        conn = self.connection_id
        async with self.db.session() as session:
            cursor = await session.scalar(
                select(SyncCursor.cursor).where(
                    SyncCursor.connection_id == conn, SyncCursor.object_type == OBJECT
                )
            )
            sources = dict(
                (
                    await session.execute(
                        select(Lead.source, func.count())
                        .where(Lead.workspace_id == self.workspace_id)
                        .group_by(Lead.source)
                    )
                ).all()
            )
            pushed = await session.scalar(
                select(func.count())
                .select_from(ExternalRecord)
                .join(Lead, Lead.id == ExternalRecord.hubwire_id)
                .where(ExternalRecord.connection_id == conn, Lead.source == ORIGIN)
            )
            links = await session.scalar(
                select(func.count())
                .select_from(ExternalRecord)
                .where(ExternalRecord.connection_id == conn)
            )
            items = dict(
                (
                    await session.execute(
                        select(SyncItem.state, func.count())
                        .where(SyncItem.connection_id == conn)
                        .group_by(SyncItem.state)
                    )
                ).all()
            )
            undispatched = await session.scalar(
                select(func.count()).select_from(Event).where(Event.dispatched_at.is_(None))
            )
        return Snapshot(
            cursor=cursor,
            pulled=int(sources.get("hubspot", 0)),
            made=int(sources.get(ORIGIN, 0)),
            pushed=int(pushed or 0),
            links=int(links or 0),
            items={str(k): int(v) for k, v in items.items()},
            undispatched=int(undispatched or 0),
        )

    async def pulled_since(self, moment: datetime) -> int:
        """Records the connection's pulls applied after ``moment`` (its pull log lines)."""
        async with self.db.session() as session:
            total = await session.scalar(
                select(func.coalesce(func.sum(SyncLog.processed + SyncLog.failed), 0)).where(
                    SyncLog.connection_id == self.connection_id,
                    SyncLog.kind == "pull",
                    SyncLog.created_at > moment,
                )
            )
        return int(total or 0)


@asynccontextmanager
async def open_stack(logs: Path) -> AsyncIterator[Stack]:
    redis_url = redis_url_or_fail()
    prefix = f"hwsyncfault:{secrets.token_hex(4)}:"
    # HubSpot's limits (100 requests / 10 s); searches see writes at once here.
    sandbox = create_sandbox(SandboxConfig(search_index_lag=0))
    switch = KillSwitch(sandbox)
    with serve_asgi(switch) as url:
        hubspot = HubSpot(url, sandbox.state.sandbox.store)
        hubspot.switch = switch
        hubspot.seed(CONTACTS)
        async with postgres_database() as database_url:
            await upgrade_async(database_url)
            settings = Settings(
                _env_file=None,
                environment="test",
                database_url=database_url,
                broker_url=redis_url,
                redis_url=redis_url,
                redis_prefix=prefix,
                secret_key=new_secret_key(),
                sandboxes=False,
                connector_clients={
                    "hubspot": ConnectorClient(
                        client_id=DEFAULT_CLIENT_ID,
                        client_secret=DEFAULT_CLIENT_SECRET,
                        base_url=url,
                    )
                },
                log_level="WARNING",
            )
            db = Database(database_url)
            try:
                async with db.session() as session:
                    workspace = await workspaces.create(
                        session,
                        slug=f"sync-faults-{secrets.token_hex(4)}",
                        contact_email="ops@example.com",
                    )
                connection_id = await connect(settings, db, workspace.id, url)
                stack = Stack(settings, db, hubspot, workspace.id, connection_id, logs)
                try:
                    yield stack
                finally:
                    for worker in stack.workers:
                        worker.stop()
            finally:
                await db.dispose()
                redis = aioredis.from_url(redis_url)
                try:
                    keys = [k async for k in redis.scan_iter(match=f"{prefix}*", count=1000)]
                    if keys:
                        await redis.delete(*keys)
                finally:
                    await redis.aclose()


async def connect(settings: Settings, db: Database, workspace_id: str, base_url: str) -> str:
    """An active HubSpot connection with tokens from the sandbox's OAuth flow, stored the way
    the callback stores them (sealed, with the sandbox as the connection's provider)."""
    connector = connector_registry()["hubspot"]
    config = oauth_client_config(settings, connector, settings.connector_clients["hubspot"])
    tokens = await consent_tokens(config)
    assert tokens.refresh_token is not None and tokens.expires_at is not None
    async with db.session() as session:
        connection = Connection(
            workspace_id=workspace_id,
            connector="hubspot",
            status="active",
            auth_type="oauth2",
            account_id="62515",
            base_url=base_url,
            token_url=config.token_url,
            credentials_sealed=seal_credentials(
                build_secret_box(settings),
                {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token},
            ),
            token_expires_at=tokens.expires_at,
            push_routes=push_routes(connector.manifest),
            # The whole story fits in HubSpot's default 30 s search settling window, in which
            # every pull (one a second here) would read everything again; this test is about
            # resuming after a kill, so the cursor follows the newest contact read.
            settings={"searchSettleSeconds": 0},
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        return connection.id


async def pull_after(stack: Stack, cursor: str) -> PullPage:
    """One more pull of contacts from ``cursor``, through the engine's caller (the
    connection's vault and its shared provider budget in Redis)."""
    settings = stack.settings
    redis = aioredis.from_url(settings.redis_url)
    try:
        deps = build_sync_deps(
            stack.db, settings, build_secret_box(settings), build_locks(settings, redis), redis
        )
        target = await load_target(stack.db, stack.connection_id)
        caller = Caller(deps, target)
        page: PullPage = await caller.call(
            lambda ctx: target.connector.pull(ctx, OBJECT, cursor), caller.counter()
        )
        return page
    finally:
        await redis.aclose()


# -- the test --------------------------------------------------------------------------------


async def test_a_worker_killed_mid_sync_resumes_with_nothing_lost_or_duplicated(
    tmp_path: Path,
) -> None:
    async with open_stack(tmp_path) as stack:
        started = time.monotonic()
        first = stack.start_worker()

        async def checked(what: str, within: float, condition: Any) -> Snapshot:
            async def probe() -> Snapshot | None:
                if not first.alive():
                    pytest.fail(f"the first worker died on its own:\n{stack.worker_logs()}")
                # The sandbox first, then the database: records it had then and the
                # database has not are unrecorded at the database's read (just before the
                # kill), not merely recorded in between.
                written = stack.hubspot.records_written()
                snap = await stack.snapshot()
                return snap if condition(snap, written) else None

            try:
                found: Snapshot = await wait_for(probe, within=within, interval=0.01, what=what)
            except TimeoutError:
                pytest.fail(
                    f"no {what} within {within:.0f} s: {(await stack.snapshot()).line()}\n"
                    f"{stack.worker_logs()}"
                )
            return found

        # The sweeper pulls a connection that never pulled right away; once its cursor
        # moved the pull holds the lease, so the push of what comes now waits for it.
        await checked("first pull page", PULL_TIMEOUT, lambda s, _: s.cursor is not None)
        lead_ids = await stack.make_leads(LEADS)
        assert len(lead_ids) == LEADS

        # The sandbox kills the worker as it accepts the KILL_AT_BATCH-th batch create.
        assert stack.hubspot.switch is not None
        stack.hubspot.switch.arm(first.kill, after=KILL_AT_BATCH)
        await wait_for(
            stack.hubspot.switch.fired.is_set,
            within=KILL_TIMEOUT,
            what=f"batch create {KILL_AT_BATCH} (the kill)",
        )
        killed_at, kill_clock = utcnow(), time.monotonic()
        at_kill = await stack.snapshot()
        stats_at_kill = stack.hubspot.stats()
        assert at_kill.cursor is not None
        print(
            f"\nkilled worker pid {first.pid} after {kill_clock - started:.1f} s: "
            f"{at_kill.line()}; at the sandbox: "
            f"{stats_at_kill['batch_records'] - at_kill.pushed} records pushed but not "
            f"recorded, {stack.hubspot.changed_after(at_kill.cursor)} contacts changed after "
            f"the cursor; sandbox {stats_at_kill}"
        )
        # A partial state was indeed observed: the pull has moved (its cursor is stored)
        # and the push is partly done.
        assert 0 < at_kill.pulled <= CONTACTS
        assert 0 < at_kill.pushed < LEADS, "the push finished before the kill"
        assert stats_at_kill["batch_records"] > at_kill.pushed, "no accepted batch unrecorded"
        assert at_kill.items.get("pending", 0) > 0, "nothing was left to push at the kill"

        # The dead worker's lease stays in Redis until it expires: the new worker's tasks
        # walk away until then (the sweeper re-sends them), then it takes over.
        second = stack.start_worker()

        async def finished() -> bool:
            if not second.alive():
                pytest.fail(f"the second worker died on its own:\n{stack.worker_logs()}")
            snap = await stack.snapshot()
            if snap.items.get("failed", 0):
                pytest.fail(f"push items failed: {snap.line()}\n{stack.worker_logs()}")
            settled = (
                snap.undispatched == 0
                and set(snap.items) == {"done"}
                and snap.pulled == CONTACTS
                and snap.made == LEADS
                and snap.links == CONTACTS + LEADS
            )
            # The cursor has reached the sandbox's last change (read only when the rest is
            # settled: it walks every contact of the sandbox).
            return settled and snap.cursor == stack.hubspot.end_cursor()

        try:
            await wait_for(finished, within=DONE_TIMEOUT, interval=1.0, what="the sync to end")
        except TimeoutError:
            pytest.fail(
                f"the sync did not end within {DONE_TIMEOUT:.0f} s after the kill: "
                f"{(await stack.snapshot()).line()}\n{stack.worker_logs()}"
            )
        elapsed, resumed = time.monotonic() - started, time.monotonic() - kill_clock
        second.stop()
        final = await stack.snapshot()
        pulled_after_kill = await stack.pulled_since(killed_at)

        await _check_both_sides(stack, final)
        # Resumed from the cursor: what changed after it was read, and of what came before
        # it at most the page that was being applied (a pull that started over would read
        # every contact again).
        changed_after_kill = stack.hubspot.changed_after(at_kill.cursor)
        assert changed_after_kill <= pulled_after_kill <= changed_after_kill + PAGE, (
            pulled_after_kill,
            changed_after_kill,
        )
        # The cursor is at the end: one more pull brings nothing.
        assert final.cursor is not None
        again = await pull_after(stack, final.cursor)
        assert (again.records, again.has_more) == ((), False)
        stats = stack.hubspot.stats()
        assert stats["rate_limited"] == 0, stats
        print(
            f"sync done {elapsed:.1f} s after the first worker started, {resumed:.1f} s after "
            f"the kill (lease {LEASE_SECONDS:.0f} s): {final.line()}; "
            f"records pulled after the kill {pulled_after_kill} (changed after the cursor "
            f"{changed_after_kill}); sandbox {stats}"
        )


async def _check_both_sides(stack: Stack, final: Snapshot) -> None:
    """Every sandbox contact is exactly one lead, every lead exactly one sandbox contact,
    and the id map pairs them one to one (same email on both sides)."""
    async with stack.db.session() as session:
        rows = (
            await session.execute(
                select(Lead.id, Lead.email, Lead.source).where(
                    Lead.workspace_id == stack.workspace_id
                )
            )
        ).all()
        links = (
            await session.execute(
                select(ExternalRecord.hubwire_id, ExternalRecord.external_id).where(
                    ExternalRecord.connection_id == stack.connection_id,
                    ExternalRecord.object_type == OBJECT,
                )
            )
        ).all()
        items = Counter(
            (
                await session.execute(
                    select(SyncItem.state).where(SyncItem.connection_id == stack.connection_id)
                )
            ).scalars()
        )
    contacts = stack.hubspot.contacts()
    expected = CONTACTS + LEADS

    lead_emails = {lead_id: (email or "").lower() for lead_id, email, _ in rows}
    assert len(rows) == expected, f"{len(rows)} leads, expected {expected}"
    assert len(set(lead_emails.values())) == expected, "a contact became two leads"
    assert Counter(source for _, _, source in rows) == {"hubspot": CONTACTS, ORIGIN: LEADS}

    assert len(contacts) == expected, f"{len(contacts)} contacts, expected {expected}"
    assert len(set(contacts.values())) == expected, "a lead became two contacts"
    assert set(contacts.values()) == set(lead_emails.values())

    assert len(links) == expected, f"{len(links)} id map rows, expected {expected}"
    assert len({hub for hub, _ in links}) == expected, "a lead is linked twice"
    assert len({ext for _, ext in links}) == expected, "a contact is linked twice"
    for hub, ext in links:
        assert lead_emails[hub] == contacts[ext], f"{hub} is linked to another's contact {ext}"

    assert set(items) == {"done"}, items
    assert final.undispatched == 0
