"""How close does the push engine get to HubSpot's rate limit, without going over it?

The HubSpot sandbox (the connector's own fake, in its own process, with HubSpot's real
limit: 100 requests per rolling 10 seconds) on loopback; a workspace with N leads (10,000
by default) created through the lead service in a temporary PostgreSQL database, so their
``lead.created`` events fan out into push items as in production; one connection to the
sandbox (a private-app style static token, no OAuth dance). Then the push engine runs to
completion in this process, its provider budget in Redis, exactly as a worker runs it.

What the sandbox counted (``GET /_sandbox/stats``) gives the figures. The last line is one
JSON object:
  leads          - leads pushed
  calls          - provider requests (429s included)
  duration_s     - the push run, from the first claim to the last commit
  utilization    - calls accepted (not 429) / what a 100-per-rolling-10-s limit allows
                   over the run, which is 100 * (floor(duration / 10) + 1) (a full window
                   at the start and at every 10 s after it; target >= 0.95)
  http_429       - requests the sandbox refused (target 0)
  batch_fill     - records per batch write call / 100 (target >= 0.9)
  records_per_s  - leads / duration_s

    .venv/bin/python bench/sync_throughput.py [--leads 10000] [--concurrency 4]

``--connector mailchimp`` pushes to the Mailchimp sandbox instead (leads with consent
granted; its 10 simultaneous connections per account): the first sync goes through batch
operations, and the figures are ``calls``, ``calls_per_1000_records`` (target <= 5),
``http_429`` (target 0), ``batches`` and ``duration_s``.

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
from collections.abc import AsyncIterator, Iterator
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
CLIENT_ID = "sandbox-client-id"
LIMIT, WINDOW = 100, 10.0  # HubSpot's published limit, which the sandbox enforces
CREATE_CHUNK = 500


def say(message: str) -> None:
    print(message, flush=True)


# -- the sandbox (its own process) -----------------------------------------------------------


def serve_sandbox(port: int, connector: str) -> None:
    import uvicorn

    if connector == "mailchimp":
        from connectors.mailchimp.sandbox import SandboxConfig as MailchimpConfig
        from connectors.mailchimp.sandbox import create_sandbox as create_mailchimp

        app = create_mailchimp(MailchimpConfig(static_tokens={TOKEN: CLIENT_ID}))
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
        return
    from connectors.hubspot.sandbox import SandboxConfig, create_sandbox

    config = SandboxConfig(
        static_tokens={TOKEN: CLIENT_ID}, rate_limit_max=LIMIT, rate_limit_interval=WINDOW
    )
    uvicorn.run(create_sandbox(config), host="127.0.0.1", port=port, log_level="warning")


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
    settings: Any, sandbox_url: str, leads: int, concurrency: int, slug: str = "hubspot"
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
    from core.plugins.manager import connector_registry
    from core.workspaces.service import workspaces
    from sync.pipeline.fanout import fan_out_pending

    connector = connector_registry()[slug]
    routes = push_routes(connector, load_event_catalog())
    extra: dict[str, Any] = {}
    connection_settings: dict[str, Any] = {}
    if slug == "mailchimp":
        from connectors.kit import ConnectionContext

        # Consent granted, so every lead is subscribed; on_connect as activation runs it
        # (the API endpoint from the metadata, the COMPANY merge field), before counting.
        extra = {"email_consent": "granted"}
        connection_settings = {"listId": "a1b2c3d4e5"}
        context = ConnectionContext(
            "conn_bench",
            "ws_bench",
            {"access_token": TOKEN},
            base_url=sandbox_url,
            settings=connection_settings,
        )
        connection_settings |= dict(await connector.on_connect(context, None))
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug="bench-sync", contact_email="bench@example.com"
            )
            connection = Connection(
                workspace_id=workspace.id,
                connector=slug,
                name=f"{slug} sandbox",
                settings=connection_settings,
                status="active",
                auth_type="oauth2",
                base_url=sandbox_url,
                credentials_sealed=seal_credentials(
                    build_secret_box(settings), {"access_token": TOKEN}
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
                            **extra,
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
    from core.settings import Settings
    from sync.engine import push_connection
    from sync.runtime import build_sync_deps

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
            _, connection_id = await seed(
                settings, sandbox_url, args.leads, args.concurrency, args.connector
            )
            before = await sandbox_stats(sandbox_url)

            redis = None
            if redis_url:
                import redis.asyncio as aioredis

                redis = aioredis.from_url(redis_url)
            db = Database(database_url)
            deps = build_sync_deps(
                db, settings, build_secret_box(settings), build_locks(settings, redis), redis
            )
            say(f"pushing to the {args.connector} sandbox ...")
            started = time.perf_counter()
            try:
                stats = await push_connection(deps, connection_id, progress=Printer())
            finally:
                duration = time.perf_counter() - started
                if redis is not None:
                    await redis.aclose()
                await db.dispose()
            after = await sandbox_stats(sandbox_url)

    if stats.stopped or stats.pushed != args.leads:
        raise SystemExit(
            f"the push did not finish: {stats.pushed} of {args.leads} pushed, "
            f"stopped: {stats.stopped}, failed: {stats.failed}"
        )
    if args.connector == "mailchimp":
        # API calls plus the batch results fetched from Mailchimp's storage.
        calls = after["calls"] + after["downloads"] - before["calls"] - before["downloads"]
        return {
            "connector": "mailchimp",
            "leads": args.leads,
            "pushed": stats.pushed,
            "calls": calls,
            "calls_per_1000_records": round(calls / args.leads * 1000, 2),
            "http_429": after["http_429"] - before["http_429"],
            "batches": after["batches"] - before["batches"],
            "duration_s": round(duration, 2),
            "records_per_s": round(stats.pushed / duration, 1),
            "backend": "embedded" if args.embedded else "postgres+redis",
        }
    calls = after["requests"] - before["requests"]
    refused = after["rate_limited"] - before["rate_limited"]
    writes = after["batch_writes"] - before["batch_writes"]
    records = after["batch_records"] - before["batch_records"]
    allowed = LIMIT * (math.floor(duration / WINDOW) + 1)
    say(
        f"pushed {stats.pushed} (failed {stats.failed}) in {stats.batches} batches; "
        f"{calls} provider calls, {writes} batch writes of {records} records"
    )
    return {
        "leads": args.leads,
        "pushed": stats.pushed,
        "calls": calls,
        "duration_s": round(duration, 2),
        # Refused calls do not count against the window (the sandbox's limiter), so they
        # are not used budget either.
        "utilization": round((calls - refused) / allowed, 3),
        "http_429": refused,
        "batch_fill": round(records / writes / 100, 3) if writes else 0.0,
        "records_per_s": round(stats.pushed / duration, 1),
        "backend": "embedded" if args.embedded else "postgres+redis",
        "concurrency": args.concurrency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument(
        "--concurrency", type=int, default=4, help="the connection's concurrency limit"
    )
    parser.add_argument("--embedded", action="store_true", help="SQLite and no Redis")
    parser.add_argument("--connector", choices=("hubspot", "mailchimp"), default="hubspot")
    parser.add_argument("--serve-sandbox", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        serve_sandbox(args.serve_sandbox, args.connector)
        return
    result = asyncio.run(run(args))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
