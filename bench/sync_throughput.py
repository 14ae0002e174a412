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
                   for a provider whose limit is a daily allowance (Salesforce): the fewest
                   calls full batches could push the records in / the calls accepted, the
                   share of the allowance spent that was needed (target >= 0.95); null for a
                   provider with neither (Mailchimp)
  http_429       - requests the sandbox refused (target 0)
  batch_fill     - records per batch write call / the provider's batch size (target >= 0.9)
  records_per_s  - leads / duration_s
  phase          - "create" (the leads are new to the provider) or "update" (``--updates``)
  backend, concurrency, connector
and the connector's own figures (below).

Per connector (``PROFILES``):
  hubspot     HubSpot's published limit, 100 requests per rolling 10 s, enforced by the
              sandbox; batch writes of 100. 10,000 leads by default.
  salesforce  The org's daily allowance (15,000 requests per rolling 24 h) and its cap of
              25 requests in flight (both enforced by the sandbox, a refusal
              ``REQUEST_LIMIT_EXCEEDED`` counts in ``http_429``). Neither is a pace, so
              ``utilization`` is against the allowance (above) and ``batch_fill`` against
              sObject Collections' 200 records a call. Also ``calls_per_1000_records``
              (target <= 5.25: 5 is full batches), ``allowance_pct_per_1000_records`` (the
              share of the day's allowance 1,000 leads cost), ``peak_in_flight`` (the most
              requests the sandbox had in flight at once; target <= 25) and
              ``ceiling_ratio``: ``records_per_s`` / the connector's own rate pushing as
              many new leads straight to a fresh sandbox (no database, no engine; batches
              of 200, ``--concurrency`` at once), measured in the same run: how much of what
              the provider side could take the engine delivers. 10,000 leads by default.
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

``--profile`` times every held call (``connection.call()``: Pipedrive's) and adds
``profile``, where a held budget goes: ``round_trip_ms`` (how long a call keeps its slot
beyond the window: taken to released), ``release_ms`` (answer to released), ``reuse_delay_ms``
(a freed slot to its next call taken), ``mid_run_ratio`` (calls a second over the middle 80 %
of the run ÷ the limit's pace), ``first_call_s`` and ``short_windows`` (see
``profile_figures``). A held budget can use at most about window ÷ (window + round trip).

``--updates`` measures updates instead: the leads are pushed once (not measured), then
every lead is changed in Hubwire and that push is measured. For a connector that reads
records by id before updating them (``Connector.read``: HubSpot's batch read, 100 contacts
a call), those reads are provider calls like any other: ``calls`` counts them, and
``utilization`` and ``http_429`` show whether the engine keeps them under the limit too;
``batch_fill`` is still about the batch writes.

    .venv/bin/python bench/sync_throughput.py
        [--connector hubspot|salesforce|pipedrive|mailchimp] [--leads N] [--concurrency 4]
        [--compare-sent] [--updates] [--profile]

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
from dataclasses import dataclass, field, replace
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
# The Salesforce sandbox's default allowance: Enterprise Edition's base (connector's manifest).
SF_DAILY_ALLOWANCE = 15_000
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
    peak_in_flight: int = 0  # the most requests the sandbox had in flight at once
    ceiling_per_s: float = 0.0  # records/s of the connector alone (Profile.ceiling)


def push_fill(m: Measured) -> float:
    return round(m.pushed / m.push_calls / m.engine_batch, 3) if m.push_calls else 0.0


def calls_per_1000_records(m: Measured) -> float:
    return round(m.calls / m.leads * 1000, 2) if m.leads else 0.0


def batches(m: Measured) -> int:
    return m.writes


def allowance_pct_per_1000_records(daily: int) -> Callable[[Measured], float]:
    def figure(m: Measured) -> float:
        return round(calls_per_1000_records(m) / daily * 100, 4)

    return figure


def peak_in_flight(m: Measured) -> int:
    return m.peak_in_flight


def ceiling_ratio(m: Measured) -> float:
    engine = m.pushed / m.duration if m.duration else 0.0
    return round(engine / m.ceiling_per_s, 3) if m.ceiling_per_s else 0.0


def ceiling_records_per_s(m: Measured) -> float:
    return round(m.ceiling_per_s, 1)


@dataclass(frozen=True)
class Profile:
    """One connector's bench.

    ``sandbox`` builds the sandbox's app from the profile (in the sandbox's process);
    ``limit`` requests per rolling ``window`` seconds is what ``utilization`` is against
    (None: the provider has no such limit; then ``daily_allowance``, a count of requests a
    day, if it has one); ``provider_batch`` the provider's most records
    per batch write. The sandbox's stat names: ``calls`` (summed), ``refused``, ``writes``
    (batch write calls) and ``records`` (the records they carried). ``leads``: the default
    lead count; ``lead_fields`` go into every lead; ``settings`` are the connection's, which
    ``on_connect`` completes as activation does; ``figures`` the connector's own;
    ``ceiling``: also push as many leads with the connector alone (``ceiling_ratio``)."""

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
    daily_allowance: int | None = None
    ceiling: bool = False

    def describe_limit(self) -> str:
        if self.limit is None and self.daily_allowance is not None:
            return f"daily allowance {self.daily_allowance}, no limit per window"
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
        limit=None,
        window=0.0,
        provider_batch=200,
        calls=("api_requests",),
        refused="refused",
        writes="upsert_calls",
        records="upserted_records",
        leads=10_000,
        token=SF_TOKEN,
        daily_allowance=SF_DAILY_ALLOWANCE,
        ceiling=True,
        figures={
            "calls_per_1000_records": calls_per_1000_records,
            "allowance_pct_per_1000_records": allowance_pct_per_1000_records(SF_DAILY_ALLOWANCE),
            "peak_in_flight": peak_in_flight,
            "ceiling_records_per_s": ceiling_records_per_s,
            "ceiling_ratio": ceiling_ratio,
        },
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
    settings: Any, sandbox_urls: list[str], leads: int, concurrency: int, connector: str
) -> tuple[str, list[str]]:
    """A workspace, a connection to each sandbox, and ``leads`` leads whose events are fanned
    out into push items (for every connection). Returns (workspace id, connection ids)."""
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
            base_url=sandbox_urls[0],
            settings=connection_settings,
        )
        connection_settings |= dict(await plugin.on_connect(context, None))
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug="bench-sync", contact_email="bench@example.com"
            )
            connections = [
                Connection(
                    workspace_id=workspace.id,
                    connector=connector,
                    name=f"{profile.title} sandbox {n}",
                    settings=connection_settings,
                    status="active",
                    auth_type="oauth2",
                    base_url=url,
                    credentials_sealed=seal_credentials(
                        build_secret_box(settings), {"access_token": profile.token}
                    ),
                    push_routes=routes,
                    concurrency_limit=concurrency,
                    activated_at=utcnow(),
                )
                for n, url in enumerate(sandbox_urls)
            ]
            session.add_all(connections)
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
        return workspace.id, [c.id for c in connections]
    finally:
        await db.dispose()


async def connector_ceiling(
    connector: str, sandbox_url: str, leads: int, concurrency: int
) -> float:
    """Records a second the connector alone pushes ``leads`` new leads at, straight to the
    sandbox: batches of the lead object's ``batch_size``, ``concurrency`` at once, no budget,
    no database. What the provider side could take, for ``ceiling_ratio``."""
    from connectors.kit import ConnectionContext, Record
    from core.plugins.manager import connector_registry

    profile = PROFILES[connector]
    plugin = connector_registry()[connector]
    spec = next(o for o in plugin.manifest.objects if o.hub_object == "lead")
    context = ConnectionContext(
        "conn_ceiling",
        "ws_bench",
        {"access_token": profile.token},
        base_url=sandbox_url,
        settings=dict(profile.settings),
    )
    records = [
        Record(
            spec.name,
            {
                "name": f"Ceiling {n}",
                "first_name": "Ceiling",
                "last_name": str(n),
                "email": f"ceiling{n}@example.com",
                "company": f"Company {n % 97}",
                **profile.lead_fields,
            },
            hubwire_id=f"lead_ceiling{n:06d}",
        )
        for n in range(leads)
    ]
    batches = [records[i : i + spec.batch_size] for i in range(0, leads, spec.batch_size)]
    lanes = asyncio.Semaphore(concurrency)
    pushed = 0

    async def one(batch: list[Any]) -> None:
        nonlocal pushed
        async with lanes:
            result = await plugin.push(context, spec.name, batch)
        pushed += len(result.succeeded)

    started = time.perf_counter()
    await asyncio.gather(*(one(batch) for batch in batches))
    duration = time.perf_counter() - started
    if pushed != leads:
        raise SystemExit(f"the ceiling run pushed {pushed} of {leads}")
    return leads / duration


class _SentOnly:
    """A budget seen only through ``acquire``: connectors' ``call()`` falls back to counting
    the call as sent (``--compare-sent``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def acquire(self) -> None:
        await self.inner.acquire()

    async def acquire_for(self, calls: str) -> None:
        await self.inner.acquire_for(calls)


def sent_only_budgets(redis: Any, prefix: str) -> Any:
    """The engine's budgets (``sync.budget.Budgets``), every one counting calls as sent."""
    from sync.budget import Budgets

    class SentOnlyBudgets(Budgets):
        def _make(self, connection_id: str, manifest: Any) -> Any:
            return _SentOnly(super()._make(connection_id, manifest))

    return SentOnlyBudgets(redis, prefix)


class _TimedSlot:
    def __init__(self, slot: Any, asked: float, granted: float, log: list[Any]) -> None:
        self.slot, self.asked, self.granted, self.log = slot, asked, granted, log

    async def release(self) -> None:
        answered = time.perf_counter()
        await self.slot.release()
        self.log.append((self.asked, self.granted, answered, time.perf_counter()))


class _Timed:
    """A budget whose held calls are timed (``--profile``): when each was asked for, taken,
    answered and released."""

    def __init__(self, inner: Any, log: list[Any]) -> None:
        self.inner, self.log = inner, log

    async def acquire(self) -> None:
        await self.inner.acquire()

    async def acquire_for(self, calls: str) -> None:
        await self.inner.acquire_for(calls)

    async def hold(self, calls: str | None = None) -> _TimedSlot:
        asked = time.perf_counter()
        slot = await self.inner.hold(calls)
        return _TimedSlot(slot, asked, time.perf_counter(), self.log)


def timed_budgets(redis: Any, prefix: str, log: list[Any]) -> Any:
    """The engine's budgets, their held calls timed into ``log``."""
    from sync.budget import Budgets

    class TimedBudgets(Budgets):
        def _make(self, connection_id: str, manifest: Any) -> Any:
            return _Timed(super()._make(connection_id, manifest), log)

    return TimedBudgets(redis, prefix)


def profile_figures(log: list[Any], profile: Profile, started: float) -> dict[str, Any]:
    """Where a held budget goes (``--profile``), from each held call's (asked, taken,
    answered, released) times: ``round_trip_ms`` (taken to released: how long a call holds
    its slot beyond the window), ``reuse_delay_ms`` (a slot's next call taken after the
    call it waited for left the window: the N-th call reuses the slot of the (N - limit)-th
    released), ``mid_run_ratio`` (calls taken per second over the middle 80 % of the run ÷
    limit ÷ window), ``first_call_s`` (the first call asked for after the push began) and
    ``short_windows`` (windows of the run, from the first call, with fewer calls than the
    limit, the last one included)."""
    if not log or profile.limit is None:
        return {}
    limit, window = profile.limit, profile.window

    def ms(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)

        def at(share: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)

        mean = round(sum(ordered) / len(ordered) * 1000, 1)
        return {"p50": at(0.5), "p90": at(0.9), "mean": mean}

    taken = sorted(g for _, g, _, _ in log)
    released = sorted(d for _, _, _, d in log)
    reuse = [taken[i] - (released[i - limit] + window) for i in range(limit, len(taken))]
    n = len(taken)
    first, last = n // 10, 9 * n // 10
    span = taken[last] - taken[first]
    per_window: dict[int, int] = {}
    for moment in taken:
        key = int((moment - taken[0]) // window)
        per_window[key] = per_window.get(key, 0) + 1
    return {
        "round_trip_ms": ms([d - g for _, g, _, d in log]),
        "release_ms": ms([d - a for _, _, a, d in log]),
        "reuse_delay_ms": ms(reuse) if reuse else {},
        "mid_run_ratio": round((last - first) / span / (limit / window), 3) if span else None,
        "first_call_s": round(min(a for a, _, _, _ in log) - started, 2),
        "short_windows": sum(1 for k in range(max(per_window) + 1) if per_window.get(k, 0) < limit),
    }


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

    def __init__(self, label: str = "") -> None:
        self.label = f"[{label}] " if label else ""
        self.total = 0
        self.done = 0
        self.next = 0.0
        self.started = time.perf_counter()

    def pulled(self, object_type: str, records: int) -> None:
        say(f"  {self.label}pulled {records} {object_type} record(s) before pushing")

    def push_total(self, pending: int) -> None:
        self.total = max(self.total, pending)
        say(f"  {self.label}pushing {pending} pending item(s)")

    def pushed(self, items: int) -> None:
        self.done += items
        if self.total and self.done / self.total >= self.next:
            elapsed = time.perf_counter() - self.started
            say(f"  {self.label}{self.done}/{self.total} items after {elapsed:.1f} s")
            self.next = math.floor(self.done / self.total * 10 + 1) / 10


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from core.crypto import build_secret_box, new_secret_key
    from core.database import Database
    from core.locks import build_locks
    from core.migrations.runner import upgrade_async
    from core.settings import Settings
    from sync.engine import push_connection
    from sync.runtime import build_sync_deps

    profile = PROFILES[args.connector]
    leads = args.leads or profile.leads
    modes = ["held", "sent"] if args.compare_sent else ["held"]
    with contextlib.ExitStack() as sandboxes:
        urls = [sandboxes.enter_context(sandbox_process(args.connector)) for _ in modes]
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
            workspace_id, connection_ids = await seed(
                settings, urls, leads, args.concurrency, args.connector
            )

            redis = None
            if redis_url:
                import redis.asyncio as aioredis

                redis = aioredis.from_url(redis_url)
            db = Database(database_url)
            deps = build_sync_deps(
                db, settings, build_secret_box(settings), build_locks(settings, redis), redis
            )
            # The comparison's second connection counts its calls as sent (before_call), as
            # every connector did before calls could be held (docs/operations/sync.md).
            sent = replace(deps, budgets=sent_only_budgets(redis, settings.redis_prefix))
            held_log: list[Any] = []
            if args.profile:
                deps = replace(deps, budgets=timed_budgets(redis, settings.redis_prefix, held_log))
            push_started: dict[str, float] = {}

            async def timed(mode: str, connection_id: str) -> tuple[Any, float]:
                started = time.perf_counter()
                push_started[mode] = started
                stats = await push_connection(
                    deps if mode == "held" else sent,
                    connection_id,
                    progress=Printer(mode if len(modes) > 1 else ""),
                )
                return stats, time.perf_counter() - started

            try:
                if args.updates:
                    say("pushing the leads once (not measured) ...")
                    for mode, cid in zip(modes, connection_ids, strict=True):
                        await push_connection(deps if mode == "held" else sent, cid)
                    await change_every_lead(settings, workspace_id)
                    # A fresh window: the measured push starts with the provider's full
                    # budget, as the create push does.
                    await asyncio.sleep(profile.window)
                before = [await sandbox_stats(url) for url in urls]
                held_log.clear()  # only the measured push
                say(f"pushing to the {profile.title} sandbox ({profile.describe_limit()}) ...")
                runs = await asyncio.gather(
                    *(timed(mode, cid) for mode, cid in zip(modes, connection_ids, strict=True))
                )
            finally:
                if redis is not None:
                    await redis.aclose()
                await db.dispose()
            after = [await sandbox_stats(url) for url in urls]
            ceiling = 0.0
            if profile.ceiling:
                say(f"pushing {leads} leads with the connector alone (the ceiling) ...")
                # To a sandbox of its own: as empty as the engine's was when it started.
                with sandbox_process(args.connector) as fresh:
                    ceiling = await connector_ceiling(
                        args.connector, fresh, leads, args.concurrency
                    )

    results = [
        figures(args, profile, leads, stats, duration, b, a, ceiling)
        for (stats, duration), b, a in zip(runs, before, after, strict=True)
    ]
    if args.profile:
        results[0]["profile"] = profile_figures(held_log, profile, push_started["held"])
    if len(results) > 1:
        # Side by side, under the same load: the main figures are the held calls'.
        results[0]["sent"] = {
            k: results[1][k] for k in ("duration_s", "calls", "utilization", "http_429")
        }
    return results[0]


def figures(
    args: argparse.Namespace,
    profile: Profile,
    leads: int,
    stats: Any,
    duration: float,
    before: Mapping[str, int],
    after: Mapping[str, int],
    ceiling: float,
) -> dict[str, Any]:
    from core.plugins.manager import connector_registry

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
        peak_in_flight=after.get("peak_in_flight", 0),
        ceiling_per_s=ceiling,
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
    elif profile.daily_allowance is not None:
        # An allowance is spent, not paced: how much of what was spent was needed.
        fewest = math.ceil(m.pushed / profile.provider_batch)
        utilization = round(fewest / max(1, m.calls - m.refused), 3)
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
        "--compare-sent",
        action="store_true",
        help="also push the same leads at the same time to a second sandbox, counting calls as "
        "sent instead of held (figures under 'sent')",
    )
    parser.add_argument(
        "--updates",
        action="store_true",
        help="measure a push of updates (every lead changed after a first push)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time every held call and add where the budget went (under 'profile')",
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
