"""The sync engine survives a worker killed with SIGKILL in the middle of a sync, for each
CRM connector: the next worker resumes from the pull cursor and the push queue, and nothing
is lost or duplicated on either side.

Real pieces only: PostgreSQL, Redis (broker, sync lease, provider budget), `hubwire worker`
subprocesses (Celery, thread pool, embedded beat running the sweeper and the pull
schedule), and the connector (HubSpot's hubspot-api-client, Salesforce's
simple-salesforce, Pipedrive's httpx client) talking over loopback to its sandbox served in
this process with the provider's limits. The connection is made with a real OAuth token
from the sandbox's consent and token endpoints. What differs per provider (its sandbox, the
write the kill waits for, how its records are counted, how far its pull cursor reaches) is
a small adapter (``Provider``); the story is one.

The story: the provider holds ``contacts`` records and the connection has never pulled, so
the first worker's first sweep pulls them. Once the pull cursor has moved, ``leads`` leads
are created in Hubwire (the leads and their `lead.created` events in one transaction: the
outbox); the worker's dispatcher fans them out into push items. One worker at a time holds
a connection's sync lease, so the push starts when the pull lets go, and the pushed records
wait for the next pull. The sandbox itself SIGKILLs the worker as it accepts the
``kill_at``-th create (HubSpot's batch create, Salesforce's sObject Collections upsert,
Pipedrive's person create), before answering: the provider holds records the worker never
recorded, the cursor sits before the pushed records (still to be pulled back) and the push
queue is partly done. A second worker waits out the dead worker's lease
(`HUBWIRE_SYNC_LEASE_SECONDS`, shortened to `LEASE_SECONDS` here), then finishes.

    .venv/bin/python -m pytest -q -s -p no:randomly tests/sync/test_sync_faults.py
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
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy import func, select

from connectors.hubspot import mapping as hubspot_mapping
from connectors.hubspot.connector import PAGE_SIZE as HUBSPOT_PAGE
from connectors.hubspot.sandbox import SandboxConfig as HubSpotConfig
from connectors.hubspot.sandbox import create_sandbox as hubspot_sandbox
from connectors.kit import PullPage
from connectors.pipedrive.sandbox import SandboxConfig as PipedriveConfig
from connectors.pipedrive.sandbox import create_sandbox as pipedrive_sandbox
from connectors.pipedrive.sandbox.store import parse_v1_time
from connectors.salesforce import mapping as salesforce_mapping
from connectors.salesforce.sandbox import SandboxConfig as SalesforceConfig
from connectors.salesforce.sandbox import create_sandbox as salesforce_sandbox
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

ORIGIN = "fault-test"  # the source of the leads made in Hubwire (pulled ones: the slug)
PULL_TIMEOUT = 180.0
KILL_TIMEOUT = 300.0
# The dead worker's lease must expire before anyone syncs again; then the rest of the push
# and the pull of every pushed record, under the provider's limits.
LEASE_SECONDS = 10.0
DONE_TIMEOUT = LEASE_SECONDS + 540.0


# -- the providers ---------------------------------------------------------------------------


class KillSwitch:
    """Wraps a sandbox: once armed, the ``after``-th create it accepts (``counts`` says which
    requests are creates) SIGKILLs the worker before the answer leaves. The provider then
    holds those records and the worker never learns their ids: the worst moment for a
    crash, hit exactly, however slow the machine (a test-side poll can be starved of CPU by
    the sandbox and the worker)."""

    def __init__(self, app: Any, counts: Callable[[str, str], bool]) -> None:
        self.app = app
        self.counts = counts
        self.fired = threading.Event()
        self._kill: Any = None
        self._after = 0
        self._seen = 0

    def arm(self, kill: Any, after: int) -> None:
        self._kill, self._after, self._seen = kill, after, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._kill is None or not self.counts(
            str(scope.get("method", "")), str(scope.get("path", ""))
        ):
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


class Provider:
    """One connector's side of the story: its sandbox (served on loopback in a thread of
    this process, with the provider's limits), the provider's records, and the sizes that
    make the story fit its limits."""

    slug: ClassVar[str]
    object_type: ClassVar[str]  # the provider object leads sync with (cursor, id map)
    contacts: ClassVar[int]  # records at the provider before the connection
    leads: ClassVar[int]  # leads made in Hubwire once the pull is under way
    kill_at: ClassVar[int]  # the create the sandbox kills the worker at
    concurrency: ClassVar[int] = 2  # the connection's concurrencyLimit
    settings: ClassVar[dict[str, Any]] = {}
    account_id: ClassVar[str] = "sandbox-account"

    def __init__(self) -> None:
        self.app = self.make_app()
        self.switch = KillSwitch(self.app, self.is_create)
        self.url = ""

    def make_app(self) -> Any:
        raise NotImplementedError

    def is_create(self, method: str, path: str) -> bool:
        """Whether a request is one of the creates the kill counts."""
        raise NotImplementedError

    def seed(self, count: int) -> None:
        """Records made at the provider before the connection (not API calls)."""
        raise NotImplementedError

    def records(self) -> dict[str, str]:
        """Live records: provider id -> lower-case email."""
        raise NotImplementedError

    def refused(self) -> int:
        """Requests the sandbox refused for a limit (429, REQUEST_LIMIT_EXCEEDED)."""
        raise NotImplementedError

    def stats(self) -> dict[str, Any]:
        """What the sandbox counted (printed)."""
        return dict(httpx.get(f"{self.url}/_sandbox/stats", timeout=30).json())

    def replayable(self, cursor: str) -> int | None:
        """How many records a pull from ``cursor`` reads to the end of the feed (None: the
        connector reads more on purpose, so the bound is not checked)."""
        return None

    def at_end(self, cursor: str) -> bool:
        """Whether ``cursor`` has reached the provider's last change."""
        raise NotImplementedError

    def check(self) -> None:
        """The provider's own no-duplicate checks beyond one record per lead."""


class HubSpot(Provider):
    slug = "hubspot"
    object_type = "contact"
    contacts = 3_000  # 30 pull pages
    leads = 3_000  # 30 batch creates of 100
    kill_at = 10
    # The whole story fits in HubSpot's default 30 s search settling window, in which every
    # pull (one a second here) would read everything again; this test is about resuming
    # after a kill, so the cursor follows the newest contact read.
    settings: ClassVar[dict[str, Any]] = {"searchSettleSeconds": 0}
    account_id = "62515"

    def make_app(self) -> Any:
        # HubSpot's limits (100 requests / 10 s); searches see writes at once here.
        return hubspot_sandbox(HubSpotConfig(search_index_lag=0))

    @property
    def store(self) -> Any:
        return self.app.state.sandbox.store

    def is_create(self, method: str, path: str) -> bool:
        return path.endswith("/batch/create")

    def seed(self, count: int) -> None:
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

    def records(self) -> dict[str, str]:
        return {c.id: (c.properties.get("email") or "").lower() for c in self.store.all("contacts")}

    def refused(self) -> int:
        return int(self.store.stats().rate_limited)

    def _positions(self) -> list[tuple[int, int]]:
        """Each contact's place in the change feed the connector pulls: (modified ms, id)."""
        return [
            (hubspot_mapping.epoch_ms(modified), int(c.id))
            for c in self.store.all("contacts")
            if (modified := hubspot_mapping.parse_time(c.properties.get(hubspot_mapping.MODIFIED)))
            is not None
        ]

    def replayable(self, cursor: str) -> int | None:
        # Of what came before the cursor, at most the page that was being applied.
        ms, _, last = cursor.partition(":")
        at = (int(ms), int(last))
        return sum(1 for position in self._positions() if position > at) + HUBSPOT_PAGE

    def at_end(self, cursor: str) -> bool:
        ms, last = max(self._positions())
        return cursor == f"{ms}:{last}"


class Salesforce(Provider):
    slug = "salesforce"
    object_type = "lead"
    contacts = 1_000  # one query page (2,000 a page)
    leads = 2_000  # 10 sObject Collections upserts of 200
    kill_at = 6
    account_id = "00D5g00000SANDBOX"

    def make_app(self) -> Any:
        # The org's daily allowance and concurrency cap; the budget's 20 requests a second.
        return salesforce_sandbox(SalesforceConfig())

    @property
    def store(self) -> Any:
        return self.app.state.sandbox.store

    def is_create(self, method: str, path: str) -> bool:
        return method == "PATCH" and "/composite/sobjects/Lead/" in path

    def seed(self, count: int) -> None:
        for n in range(count):
            self.store.create(
                "Lead",
                {
                    "FirstName": "Salesforce",
                    "LastName": f"Lead {n}",
                    "Company": "Sandbox Inc",
                    "Email": f"salesforce-{n:05d}@example.com",
                },
            )

    def records(self) -> dict[str, str]:
        return {
            row["Id"]: (row.get("Email") or "").lower()
            for row in self.store.records["Lead"].values()
            if not row["IsDeleted"]
        }

    def refused(self) -> int:
        return int(self.store.refused)

    # replayable: None. Every pull reads the last 30 s again (a SystemModstamp set before a
    # late commit), so the records pulled after the kill are not bounded by the cursor.

    def at_end(self, cursor: str) -> bool:
        newest = max(row["SystemModstamp"] for row in self.store.records["Lead"].values())
        return salesforce_mapping.parse_time(json.loads(cursor).get("since")) == (
            salesforce_mapping.parse_time(newest)
        )

    def check(self) -> None:
        # Upserts on the Hubwire id: one Lead per Hubwire id.
        keys = [r.get("Hubwire_Id__c") for r in self.store.records["Lead"].values()]
        pushed = [k for k in keys if k]
        assert len(pushed) == len(set(pushed)) == self.leads, "a Hubwire id is on two Leads"


class Pipedrive(Provider):
    slug = "pipedrive"
    object_type = "person"
    contacts = 300  # one /v1/recents page (500 a page)
    leads = 200  # a new lead is 3 requests (search, person, lead): 600 at 20 a second
    kill_at = 130  # in the second push call of 100 (the first one recorded)
    concurrency = 1
    account_id = "13501337"

    def make_app(self) -> Any:
        # Growth's burst limit (40 requests per 2 s), counted when a request arrives.
        return pipedrive_sandbox(PipedriveConfig(deliver_webhooks=False))

    @property
    def store(self) -> Any:
        return self.app.state.sandbox.store

    def is_create(self, method: str, path: str) -> bool:
        return method == "POST" and path.rstrip("/").endswith("/api/v2/persons")

    def seed(self, count: int) -> None:
        with httpx.Client(base_url=f"{self.url}/_sandbox", timeout=30) as admin:
            for n in range(count):
                email = f"pipedrive-{n:05d}@example.com"
                made = admin.post(
                    "/persons",
                    json={
                        "name": f"Pipedrive Person {n}",
                        "emails": [{"value": email, "primary": True, "label": "work"}],
                    },
                )
                assert made.status_code == 201, made.text

    def records(self) -> dict[str, str]:
        return {
            str(pid): next((e["value"].lower() for e in person["emails"] if e.get("primary")), "")
            for pid, person in self.store.persons.items()
        }

    def refused(self) -> int:
        return int(self.app.state.sandbox.rate_limited)

    def replayable(self, cursor: str) -> int | None:
        # The sweep from ``since`` (whole seconds: that second again), from ``start`` on.
        position = json.loads(cursor)
        since = parse_v1_time(str(position["since"]))
        return len(self.store.changed_persons(since)) - int(position["start"]) + 500

    def at_end(self, cursor: str) -> bool:
        position = json.loads(cursor)
        newest = max(int(p["_updated"]) for p in self.store.persons.values())
        return position["start"] == 0 and int(parse_v1_time(position["since"])) == newest

    def check(self) -> None:
        # Each pushed person has exactly one Pipedrive lead (a retried create made none twice).
        per_person = Counter(lead["person_id"] for lead in self.store.leads.values())
        assert len(per_person) == self.leads, f"{len(per_person)} persons with a lead"
        assert set(per_person.values()) == {1}, "a person got two Pipedrive leads"


PROVIDERS = [HubSpot, Salesforce, Pipedrive]


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
    pulled: int  # leads created by the pull (source: the connector's slug)
    made: int  # leads made in Hubwire (source ORIGIN)
    pushed: int  # of those, linked to a provider record in the id map (push recorded)
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
    provider: Provider
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
                        # The parts the lead service gives a name sent alone (Salesforce
                        # requires LastName).
                        first_name="Hubwire Lead",
                        last_name=str(n),
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
                    SyncCursor.connection_id == conn,
                    SyncCursor.object_type == self.provider.object_type,
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
            pulled=int(sources.get(self.provider.slug, 0)),
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

    async def linked(self) -> set[str]:
        """The provider ids the id map links to a lead."""
        async with self.db.session() as session:
            found = await session.scalars(
                select(ExternalRecord.external_id).where(
                    ExternalRecord.connection_id == self.connection_id,
                    ExternalRecord.object_type == self.provider.object_type,
                )
            )
            return set(found)


@asynccontextmanager
async def open_stack(provider: Provider, logs: Path) -> AsyncIterator[Stack]:
    redis_url = redis_url_or_fail()
    prefix = f"hwsyncfault:{secrets.token_hex(4)}:"
    sandbox = connector_registry()[provider.slug].sandbox()
    assert sandbox is not None
    with serve_asgi(provider.switch) as url:
        provider.url = url
        provider.seed(provider.contacts)
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
                    provider.slug: ConnectorClient(
                        client_id=sandbox.client_id,
                        client_secret=sandbox.client_secret,
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
                connection_id = await connect(settings, db, workspace.id, provider, url)
                stack = Stack(settings, db, provider, workspace.id, connection_id, logs)
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


async def connect(
    settings: Settings, db: Database, workspace_id: str, provider: Provider, base_url: str
) -> str:
    """An active connection with tokens from the sandbox's OAuth flow, stored the way the
    callback stores them (sealed, with the token answer's fields, with the sandbox as the
    connection's provider)."""
    connector = connector_registry()[provider.slug]
    config = oauth_client_config(settings, connector, settings.connector_clients[provider.slug])
    tokens = await consent_tokens(config)
    # Salesforce sends no lifetime (a session lasts the org's timeout): None is kept.
    assert tokens.refresh_token is not None
    async with db.session() as session:
        connection = Connection(
            workspace_id=workspace_id,
            connector=provider.slug,
            status="active",
            auth_type="oauth2",
            account_id=provider.account_id,
            base_url=base_url,
            token_url=config.token_url,
            credentials_sealed=seal_credentials(
                build_secret_box(settings),
                {
                    **tokens.extra,
                    "access_token": tokens.access_token,
                    "refresh_token": tokens.refresh_token,
                },
            ),
            token_expires_at=tokens.expires_at,
            push_routes=push_routes(connector.manifest),
            concurrency_limit=provider.concurrency,
            settings=dict(provider.settings),
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        return connection.id


async def pull_after(stack: Stack, cursor: str) -> PullPage:
    """One more pull from ``cursor``, through the engine's caller (the connection's vault and
    its shared provider budget in Redis)."""
    settings = stack.settings
    redis = aioredis.from_url(settings.redis_url)
    try:
        deps = build_sync_deps(
            stack.db, settings, build_secret_box(settings), build_locks(settings, redis), redis
        )
        target = await load_target(stack.db, stack.connection_id)
        caller = Caller(deps, target)
        page: PullPage = await caller.call(
            lambda ctx: target.connector.pull(ctx, stack.provider.object_type, cursor),
            caller.counter(),
        )
        return page
    finally:
        await redis.aclose()


# -- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PROVIDERS, ids=[p.slug for p in PROVIDERS])
async def test_a_worker_killed_mid_sync_resumes_with_nothing_lost_or_duplicated(
    kind: type[Provider], tmp_path: Path
) -> None:
    provider = kind()
    contacts, leads = provider.contacts, provider.leads
    async with open_stack(provider, tmp_path) as stack:
        started = time.monotonic()
        first = stack.start_worker()

        async def checked(what: str, within: float, condition: Any) -> Snapshot:
            async def probe() -> Snapshot | None:
                if not first.alive():
                    pytest.fail(f"the first worker died on its own:\n{stack.worker_logs()}")
                snap = await stack.snapshot()
                return snap if condition(snap) else None

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
        await checked("first pull page", PULL_TIMEOUT, lambda s: s.cursor is not None)
        lead_ids = await stack.make_leads(leads)
        assert len(lead_ids) == leads

        # The sandbox kills the worker as it accepts the kill_at-th create.
        provider.switch.arm(first.kill, after=provider.kill_at)
        await wait_for(
            provider.switch.fired.is_set,
            within=KILL_TIMEOUT,
            what=f"create {provider.kill_at} (the kill)",
        )
        killed_at, kill_clock = utcnow(), time.monotonic()
        # The provider first, then the database: records it had then and the database has
        # not are unrecorded at the database's read (after the kill), not merely recorded
        # in between.
        at_provider = len(provider.records()) - contacts
        at_kill = await stack.snapshot()
        assert at_kill.cursor is not None
        print(
            f"\n[{provider.slug}] killed worker pid {first.pid} after "
            f"{kill_clock - started:.1f} s: {at_kill.line()}; at the provider: "
            f"{at_provider - at_kill.pushed} records pushed but not recorded; "
            f"sandbox {provider.stats()}"
        )
        # A partial state was indeed observed: the pull has moved (its cursor is stored)
        # and the push is partly done, with records the provider holds and Hubwire does not
        # know it holds.
        assert 0 < at_kill.pulled <= contacts
        assert 0 < at_kill.pushed < leads, "the push finished before the kill"
        assert at_provider > at_kill.pushed, "no accepted create unrecorded"
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
                and snap.pulled == contacts
                and snap.made == leads
                and snap.links == contacts + leads
            )
            # The cursor has reached the provider's last change (read only when the rest is
            # settled: it walks every record of the sandbox).
            return settled and snap.cursor is not None and provider.at_end(snap.cursor)

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
        provider.check()
        # Resumed from the cursor: what a pull from it reads, not every record again (a
        # pull that started over would).
        bound = provider.replayable(at_kill.cursor)
        if bound is not None:
            assert pulled_after_kill <= bound, (pulled_after_kill, bound)
        # The cursor is at the end: one more pull (all its pages: Salesforce's reads its
        # look-back again) brings nothing Hubwire does not hold.
        assert final.cursor is not None
        linked, cursor, more = await stack.linked(), final.cursor, True
        while more:
            again = await pull_after(stack, cursor)
            assert {r.external_id for r in again.records} <= linked
            assert again.next_cursor is not None
            cursor, more = again.next_cursor, again.has_more
        assert provider.refused() == 0
        print(
            f"[{provider.slug}] sync done {elapsed:.1f} s after the first worker started, "
            f"{resumed:.1f} s after the kill (lease {LEASE_SECONDS:.0f} s): {final.line()}; "
            f"records pulled after the kill {pulled_after_kill} (bound {bound}); "
            f"sandbox {provider.stats()}"
        )


async def _check_both_sides(stack: Stack, final: Snapshot) -> None:
    """Every provider record is exactly one lead, every lead exactly one provider record,
    and the id map pairs them one to one (same email on both sides)."""
    provider = stack.provider
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
                    ExternalRecord.object_type == provider.object_type,
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
    records = provider.records()
    expected = provider.contacts + provider.leads

    lead_emails = {lead_id: (email or "").lower() for lead_id, email, _ in rows}
    assert len(rows) == expected, f"{len(rows)} leads, expected {expected}"
    assert len(set(lead_emails.values())) == expected, "a provider record became two leads"
    assert Counter(source for _, _, source in rows) == {
        provider.slug: provider.contacts,
        ORIGIN: provider.leads,
    }

    assert len(records) == expected, f"{len(records)} provider records, expected {expected}"
    assert len(set(records.values())) == expected, "a lead became two provider records"
    assert set(records.values()) == set(lead_emails.values())

    assert len(links) == expected, f"{len(links)} id map rows, expected {expected}"
    assert len({hub for hub, _ in links}) == expected, "a lead is linked twice"
    assert len({ext for _, ext in links}) == expected, "a provider record is linked twice"
    for hub, ext in links:
        assert lead_emails[hub] == records[ext], f"{hub} is linked to another's record {ext}"

    assert set(items) == {"done"}, items
    assert final.undispatched == 0
