"""How close does the push engine get to a provider's rate limit, without going over it?

``--connector hubspot`` (the default), ``salesforce``, ``pipedrive`` or ``mailchimp``: that
connector's sandbox (its own fake, in its own process, with the provider's limits) on
loopback; a workspace with N leads (the connector's default below, or ``--leads``) created
through the lead service in a temporary PostgreSQL database, so their ``lead.created``
events fan out into push items as in production; one connection to the sandbox (a static
token, no OAuth dance). Then the push engine runs to completion in this process, its
provider budget in Redis, exactly as a worker runs it.

What the sandbox counted (``GET /_sandbox/stats``) gives the figures. The last line is one
JSON object:
  leads          - leads pushed
  pushed         - records the engine pushed
  calls          - provider requests (refusals included)
  duration_s     - the push run, from the first claim to the last commit
  utilization    - calls accepted (not refused) / what a LIMIT-per-rolling-WINDOW-s limit
                   allows over the run, which is LIMIT * (floor(duration / WINDOW) + 1) (a
                   full window at the start and at every WINDOW s after it; target >= 0.95);
                   null for a provider without such a limit (Mailchimp)
  http_429       - requests the sandbox refused (target 0)
  batch_fill     - records per batch write call / the provider's batch size (target >= 0.9)
  records_per_s  - leads / duration_s
  phase          - "create" (the leads are new to the provider) or "update" (``--updates``)
  backend, concurrency, connector
and the connector's own figures (below).

Per connector (``PROFILES``):
  hubspot     HubSpot's published limit, 100 requests per rolling 10 s, enforced by the
              sandbox; batch writes of 100. 10,000 leads by default.
  salesforce  The org's daily allowance and its concurrency cap (both enforced by the
              sandbox, a refusal ``REQUEST_LIMIT_EXCEEDED`` counts in ``http_429``); the pace
              the connector keeps under them is its manifest's 20 calls a second, so
              ``utilization`` is against 20 per 1 s and ``batch_fill`` against sObject
              Collections' 200 records a call. 10,000 leads by default.
  pipedrive   40 requests per user per rolling 2 s (Growth plan), enforced by the sandbox;
              no batch writes, so ``batch_fill`` is against 1 (docs/connectors/pipedrive.md).
              A lead costs 3 requests (search, person, lead) and 30 tokens, so the default
              of 1,000 leads fits the daily budget of a 5-seat Growth company (300,000).
              Also ``push_fill``: records per ``connector.push`` call / the lead object's
              ``ObjectSpec.batch_size`` (how full the engine's batches are).
  mailchimp   10 simultaneous connections per account (enforced by the sandbox, a refusal
              counts in ``http_429``) and no limit per window, so ``utilization`` is null.
              Leads have email consent granted; the first sync goes through batch
              operations: ``batch_fill`` is operations per batch / the connector's 5,000
              (the engine hands it ``HUBWIRE_SYNC_CLAIM_SIZE``, 1,000, records at most, so
              0.2 with the defaults), ``calls`` counts the result downloads too. Also
              ``calls_per_1000_records`` (target <= 5) and ``batches``. 50,000 leads by
              default.

``--updates`` measures updates instead: the leads are pushed once (not measured), then
every lead is changed in Hubwire and that push is measured. For a connector that reads
records by id before updating them (``Connector.read``: HubSpot's batch read, 100 contacts
a call), those reads are provider calls like any other: ``calls`` counts them, and
``utilization`` and ``http_429`` show whether the engine keeps them under the limit too;
``batch_fill`` is still about the batch writes.

    .venv/bin/python bench/sync_throughput.py
        [--connector hubspot|salesforce|pipedrive|mailchimp] [--leads N] [--concurrency 4]
        [--updates]

Servers: ``HUBWIRE_BENCH_POSTGRES_URL`` (a temporary database is created in it and
dropped) and ``HUBWIRE_BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/8; keys get a
unique prefix). ``--embedded`` runs on a SQLite file with the in-process budget instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.live_server import free_port  # noqa: E402  (needs ROOT on the path)
from tests.support.servers import temporary_database  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
TOKEN = "pat-bench-sync"  # noqa: S105 - a static token the bench's own sandbox accepts
SF_TOKEN = "00D5g00000SANDBOX!bench"  # noqa: S105 - a static token of the bench's sandbox
CLIENT_ID = "sandbox-client-id"
MAILCHIMP_LIST = "a1b2c3d4e5"  # the Mailchimp sandbox's audience
CREATE_CHUNK = 500


@dataclass(frozen=True)
class Measured:
    """What one run counted, from which every figure is computed."""

    leads: int
    pushed: int
    push_calls: int  # connector.push calls (the engine's batches)
    engine_batch: int  # the lead object's ObjectSpec.batch_size
    calls: int
    refused: int
    writes: int  # batch write calls
    records: int  # the records those carried
    duration: float


def push_fill(m: Measured) -> float:
    return round(m.pushed / m.push_calls / m.engine_batch, 3) if m.push_calls else 0.0


def calls_per_1000_records(m: Measured) -> float:
    return round(m.calls / m.leads * 1000, 2) if m.leads else 0.0


def batches(m: Measured) -> int:
    return m.writes


@dataclass(frozen=True)
class Profile:
    """One connector's bench.

    ``sandbox`` builds the sandbox's app from the profile (in the sandbox's process);
    ``limit`` requests per rolling ``window`` seconds is what ``utilization`` is against
    (None: the provider has no such limit); ``provider_batch`` the provider's most records
    per batch write. The sandbox's stat names: ``calls`` (summed), ``refused``, ``writes``
    (batch write calls) and ``records`` (the records they carried). ``leads``: the default
    lead count; ``lead_fields`` go into every lead; ``settings`` are the connection's, which
    ``on_connect`` completes as activation does; ``figures`` the connector's own."""

    title: str
    sandbox: Callable[[Profile], Any]
    limit: int | None
    window: float
    provider_batch: int
    calls: tuple[str, ...]
    refused: str
    writes: str
    records: str
    leads: int
    token: str = TOKEN
    lead_fields: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    on_connect: bool = False
    figures: Mapping[str, Callable[[Measured], float]] = field(default_factory=dict)

    def describe_limit(self) -> str:
        if self.limit is None:
            return "no limit per window"
        return f"limit {self.limit} per {self.window:g} s"


# -- the sandboxes (each in its own process) -------------------------------------------------


def hubspot_sandbox(profile: Profile) -> Any:
    from connectors.hubspot.sandbox import SandboxConfig, create_sandbox

    assert profile.limit is not None
    return create_sandbox(
        SandboxConfig(
            static_tokens={profile.token: CLIENT_ID},
            rate_limit_max=profile.limit,
            rate_limit_interval=profile.window,
        )
    )


def salesforce_sandbox(profile: Profile) -> Any:
    from connectors.salesforce.sandbox import SandboxConfig, create_sandbox

    return create_sandbox(SandboxConfig(static_tokens={profile.token: "bench"}))


def pipedrive_sandbox(profile: Profile) -> Any:
    from connectors.pipedrive.sandbox import SandboxConfig, create_sandbox

    return create_sandbox(
        SandboxConfig(
            static_tokens={profile.token: CLIENT_ID},
            burst_limit=profile.limit,
            burst_window=profile.window,
            deliver_webhooks=False,
        )
    )


def mailchimp_sandbox(profile: Profile) -> Any:
    from connectors.mailchimp.sandbox import SandboxConfig, create_sandbox

    return create_sandbox(SandboxConfig(static_tokens={profile.token: CLIENT_ID}))


PROFILES: dict[str, Profile] = {
    "hubspot": Profile(
        "HubSpot",
        hubspot_sandbox,
        limit=100,
        window=10.0,
        provider_batch=100,
        calls=("requests",),
        refused="rate_limited",
        writes="batch_writes",
        records="batch_records",
        leads=10_000,
    ),
    "salesforce": Profile(
        "Salesforce",
        salesforce_sandbox,
        limit=20,
        window=1.0,
        provider_batch=200,
        calls=("api_requests",),
        refused="refused",
        writes="upsert_calls",
        records="upserted_records",
        leads=10_000,
        token=SF_TOKEN,
    ),
    "pipedrive": Profile(
        "Pipedrive",
        pipedrive_sandbox,
        limit=40,
        window=2.0,
        provider_batch=1,
        calls=("requests",),
        refused="rate_limited",
        writes="batch_writes",
        records="batch_records",
        leads=1_000,
        figures={"push_fill": push_fill},
    ),
    "mailchimp": Profile(
        "Mailchimp",
        mailchimp_sandbox,
        limit=None,
        window=0.0,
        provider_batch=5000,
        # API calls plus the batch results fetched from Mailchimp's storage.
        calls=("calls", "downloads"),
        refused="http_429",
        writes="batches",
        records="operations",
        leads=50_000,
        # Consent granted, so every lead is subscribed.
        lead_fields={"email_consent": "granted"},
        settings={"listId": MAILCHIMP_LIST},
        on_connect=True,
        figures={"calls_per_1000_records": calls_per_1000_records, "batches": batches},
    ),
}


def say(message: str) -> None:
    print(message, flush=True)


# -- the sandbox's process -------------------------------------------------------------------


def serve_sandbox(port: int, connector: str) -> None:
    import uvicorn

    profile = PROFILES[connector]
    uvicorn.run(profile.sandbox(profile), host="127.0.0.1", port=port, log_level="warning")


@contextlib.contextmanager
def sandbox_process(connector: str) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-sandbox", str(port), "--connector", connector],
        cwd=ROOT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/_sandbox/stats", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


async def sandbox_stats(url: str) -> dict[str, int]:
    """What the sandbox counted: requests (429s included), 429s, batch writes, records."""
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{url}/_sandbox/stats")
        response.raise_for_status()
        return dict(response.json())


# -- the database ----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(embedded: bool) -> AsyncIterator[tuple[str, str]]:
    """(database URL, Redis URL or "")."""
    if embedded:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/bench.db", ""
        return
    server = os.environ.get("HUBWIRE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    async with temporary_database(server, prefix="hubwire_bench") as url:
        yield url, os.environ.get("HUBWIRE_BENCH_REDIS_URL", DEFAULT_REDIS)


async def seed(
    settings: Any, sandbox_url: str, leads: int, concurrency: int, connector: str
) -> tuple[str, str]:
    """A workspace, its connection to the sandbox, and ``leads`` leads whose events are fanned
    out into push items. Returns (workspace id, connection id)."""
    from core.connections.credentials import seal_credentials
    from core.connections.models import Connection
    from core.connections.service import push_routes
    from core.crypto import build_secret_box
    from core.database import Database, utcnow
    from core.events.catalog import load_event_catalog
    from core.leads.schemas import LeadCreate
    from core.leads.service import leads as lead_service
    from core.plugins.context import ConnectionContext
    from core.plugins.manager import connector_registry
    from core.workspaces.service import workspaces
    from sync.pipeline.fanout import fan_out_pending

    profile = PROFILES[connector]
    plugin = connector_registry()[connector]
    routes = push_routes(plugin, load_event_catalog())
    connection_settings = dict(profile.settings)
    if profile.on_connect:
        # As activation runs it (e.g. Mailchimp: the API endpoint from the metadata, the
        # COMPANY merge field), before anything is counted.
        context = ConnectionContext(
            "conn_bench",
            "ws_bench",
            {"access_token": profile.token},
            base_url=sandbox_url,
            settings=connection_settings,
        )
        connection_settings |= dict(await plugin.on_connect(context, None))
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug="bench-sync", contact_email="bench@example.com"
            )
            connection = Connection(
                workspace_id=workspace.id,
                connector=connector,
                name=f"{profile.title} sandbox",
                settings=connection_settings,
                status="active",
                auth_type="oauth2",
                base_url=sandbox_url,
                credentials_sealed=seal_credentials(
                    build_secret_box(settings), {"access_token": profile.token}
                ),
                push_routes=routes,
                concurrency_limit=concurrency,
                activated_at=utcnow(),
            )
            session.add(connection)
        made = 0
        started = time.perf_counter()
        while made < leads:
            chunk = min(CREATE_CHUNK, leads - made)
            async with db.session() as session:
                for n in range(made, made + chunk):
                    await lead_service.create(
                        session,
                        workspace_id=workspace.id,
                        data=LeadCreate(
                            name=f"Lead {n}",
                            email=f"lead{n}@example.com",
                            company=f"Company {n % 97}",
                            **profile.lead_fields,
                        ),
                    )
            made += chunk
        say(f"created {made} leads in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        await fan_out_pending(db)
        say(f"fanned out their events in {time.perf_counter() - started:.1f} s")
        return workspace.id, connection.id
    finally:
        await db.dispose()


async def change_every_lead(settings: Any, workspace_id: str) -> None:
    """Every lead of the workspace changed through the lead service (a ``lead.updated``
    each), the events fanned out into push items: updates of records the provider holds."""
    from sqlalchemy import select

    from core.database import Database
    from core.leads.models import Lead
    from core.leads.schemas import LeadUpdate
    from core.leads.service import leads as lead_service
    from sync.pipeline.fanout import fan_out_pending

    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            ids = list(
                await session.scalars(
                    select(Lead.id).where(Lead.workspace_id == workspace_id).order_by(Lead.id)
                )
            )
        started = time.perf_counter()
        for start in range(0, len(ids), CREATE_CHUNK):
            async with db.session() as session:
                for lead_id in ids[start : start + CREATE_CHUNK]:
                    await lead_service.update(
                        session,
                        workspace_id=workspace_id,
                        lead_id=lead_id,
                        data=LeadUpdate(company="Changed in Hubwire"),
                    )
        await fan_out_pending(db)
        say(f"changed {len(ids)} leads in {time.perf_counter() - started:.1f} s")
    finally:
        await db.dispose()


class Printer:
    """Progress lines while the push runs (about every 10 %)."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.next = 0.0
        self.started = time.perf_counter()

    def pulled(self, object_type: str, records: int) -> None:
        say(f"  pulled {records} {object_type} record(s) before pushing")

    def push_total(self, pending: int) -> None:
        self.total = max(self.total, pending)
        say(f"  pushing {pending} pending item(s)")

    def pushed(self, items: int) -> None:
        self.done += items
        if self.total and self.done / self.total >= self.next:
            elapsed = time.perf_counter() - self.started
            say(f"  {self.done}/{self.total} items after {elapsed:.1f} s")
            self.next = math.floor(self.done / self.total * 10 + 1) / 10


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from core.crypto import build_secret_box, new_secret_key
    from core.database import Database
    from core.locks import build_locks
    from core.migrations.runner import upgrade_async
    from core.plugins.manager import connector_registry
    from core.settings import Settings
    from sync.engine import push_connection
    from sync.runtime import build_sync_deps

    profile = PROFILES[args.connector]
    leads = args.leads or profile.leads
    with sandbox_process(args.connector) as sandbox_url:
        async with database(args.embedded) as (database_url, redis_url):
            await upgrade_async(database_url)
            settings = Settings(
                _env_file=None,
                environment="production",
                database_url=database_url,
                redis_url=redis_url,
                redis_prefix=f"hwbench:{secrets.token_hex(4)}:",
                secret_key=new_secret_key(),
            )
            workspace_id, connection_id = await seed(
                settings, sandbox_url, leads, args.concurrency, args.connector
            )

            redis = None
            if redis_url:
                import redis.asyncio as aioredis

                redis = aioredis.from_url(redis_url)
            db = Database(database_url)
            deps = build_sync_deps(
                db, settings, build_secret_box(settings), build_locks(settings, redis), redis
            )
            try:
                if args.updates:
                    say("pushing the leads once (not measured) ...")
                    await push_connection(deps, connection_id)
                    await change_every_lead(settings, workspace_id)
                    # A fresh window: the measured push starts with the provider's full
                    # budget, as the create push does.
                    await asyncio.sleep(profile.window)
                before = await sandbox_stats(sandbox_url)
                say(f"pushing to the {profile.title} sandbox ({profile.describe_limit()}) ...")
                started = time.perf_counter()
                try:
                    stats = await push_connection(deps, connection_id, progress=Printer())
                finally:
                    duration = time.perf_counter() - started
            finally:
                if redis is not None:
                    await redis.aclose()
                await db.dispose()
            after = await sandbox_stats(sandbox_url)

    if stats.stopped or stats.pushed != leads:
        raise SystemExit(
            f"the push did not finish: {stats.pushed} of {leads} pushed, "
            f"stopped: {stats.stopped}, failed: {stats.failed}"
        )

    def counted(*names: str) -> int:
        return sum(after[name] - before[name] for name in names)

    m = Measured(
        leads=leads,
        pushed=stats.pushed,
        push_calls=stats.batches,
        # The engine's batch: the lead object's ObjectSpec.batch_size.
        engine_batch=next(
            o.batch_size
            for o in connector_registry()[args.connector].manifest.objects
            if o.hub_object == "lead"
        ),
        calls=counted(*profile.calls),
        refused=counted(profile.refused),
        writes=counted(profile.writes),
        records=counted(profile.records),
        duration=duration,
    )
    say(
        f"pushed {stats.pushed} (failed {stats.failed}) in {stats.batches} batches; "
        f"{m.calls} provider calls, {m.writes} batch writes of {m.records} records"
    )
    utilization = None
    if profile.limit is not None:
        # Refused calls do not count against the window (the sandbox's limiter), so they
        # are not used budget either.
        allowed = profile.limit * (math.floor(duration / profile.window) + 1)
        utilization = round((m.calls - m.refused) / allowed, 3)
    return {
        "leads": leads,
        "pushed": stats.pushed,
        "calls": m.calls,
        "duration_s": round(duration, 2),
        "utilization": utilization,
        "http_429": m.refused,
        "batch_fill": round(m.records / m.writes / profile.provider_batch, 3) if m.writes else 0.0,
        **{name: figure(m) for name, figure in profile.figures.items()},
        "records_per_s": round(stats.pushed / duration, 1),
        "phase": "update" if args.updates else "create",
        "backend": "embedded" if args.embedded else "postgres+redis",
        "concurrency": args.concurrency,
        "connector": args.connector,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--connector", choices=sorted(PROFILES), default="hubspot", help="whose sandbox to push to"
    )
    parser.add_argument(
        "--leads", type=int, default=0, help="leads to push (default: the connector's profile)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, help="the connection's concurrency limit"
    )
    parser.add_argument("--embedded", action="store_true", help="SQLite and no Redis")
    parser.add_argument(
        "--updates",
        action="store_true",
        help="measure a push of updates (every lead changed after a first push)",
    )
    parser.add_argument("--serve-sandbox", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        serve_sandbox(args.serve_sandbox, args.connector)
        return
    result = asyncio.run(run(args))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
