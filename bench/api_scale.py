"""Do lists, filters, search and the event feed stay fast as one workspace grows?

Seeds two workspaces in one fresh PostgreSQL database with set-based SQL (not the API):
  small - 1,000 leads, 1,000 calls, 1,000 events
  large - N leads, N calls, 5 N events (N = --leads, 1,000,000 by default)
then serves the real app (API-key auth on; rate limits and usage logs off, so they do not
add noise to either side) and measures every route against both workspaces in the same run,
alternating small and large request by request over one keep-alive connection, so machine
noise hits both alike. ``POST /v1/leads`` is loaded in alternating rounds with a few
connections. The last line printed is one JSON object with:

  list_growth          p50 of GET /v1/leads?limit=20, large / small
  events_growth        p50 of GET /v1/events?limit=20, large / small
  worst_filter_p50_ms  the slowest p50 of the documented filters (alone and with a sort), large
  create_growth        POST /v1/leads requests/s, large / small

    .venv/bin/python bench/api_scale.py [--leads 1000000] [--database-url postgresql://...]
                                        [--reuse]

The database named by --database-url is dropped and re-created (default
``postgresql://postgres@127.0.0.1:5432/hubwire_scale_bench``); never point it at real data.
With --reuse, a database an earlier run seeded with the same --leads is kept instead: newer
migrations are applied to it (as on a live database), the rows earlier runs' POST rounds added
are deleted, and the run measures without seeding again (a fresh seed otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SMALL = 1_000
SCOPES = ["leads:read", "leads:write", "calls:read", "events:read"]

# One statement per table; :ws, :n are bound. Values cycle so every filter value below
# matches a known share of rows at both sizes (status 1/5, tag vip 1/10, one email, ...).
SEED_LEADS = """
INSERT INTO leads (id, workspace_id, name, email, phone, company, source, status, tags,
                   custom_fields, created_at, updated_at)
SELECT 'lead_' || substr(md5($1 || g::text), 1, 20), $1,
       'Person ' || g, 'person' || g || '@example' || (g % 1000) || '.com', NULL,
       'Company ' || (g % 50000),
       (ARRAY['web','referral','ads','event','partner'])[1 + g % 5],
       (ARRAY['new','contacted','qualified','converted','rejected'])[1 + (g / 7) % 5],
       (CASE WHEN g % 10 = 0 THEN '["vip","b2b"]' WHEN g % 3 = 0 THEN '["b2b"]'
             ELSE '[]' END)::json,
       '{}'::json,
       now() - make_interval(secs => ($2 - g) * 15),
       now() - make_interval(secs => ($2 - g) * 15) + interval '1 minute' * (g % 97)
FROM generate_series($3::int, $4::int) AS g
"""

SEED_CALLS = """
INSERT INTO calls (id, workspace_id, lead_id, direction, status, from_number, to_number,
                   started_at, ended_at, duration_seconds, outcome, summary, custom_fields,
                   created_at, updated_at)
SELECT 'call_' || substr(md5('c' || $1 || g::text), 1, 20), $1, NULL,
       (ARRAY['inbound','outbound'])[1 + g % 2],
       (ARRAY['queued','in_progress','ended','failed'])[1 + (g / 3) % 4],
       '+15550000000', '+15550000001',
       now() - make_interval(secs => ($2 - g) * 15),
       now() - make_interval(secs => ($2 - g) * 15 - 120), 120,
       (ARRAY['connected','no_answer','busy','voicemail','failed','booked'])[1 + g % 6],
       NULL, '{}'::json,
       now() - make_interval(secs => ($2 - g) * 15),
       now() - make_interval(secs => ($2 - g) * 15)
FROM generate_series($3::int, $4::int) AS g
"""

SEED_EVENTS = """
INSERT INTO events (id, workspace_id, type, version, data, occurred_at, dispatched_at)
SELECT 'evt_' || substr(md5('e' || $1 || g::text), 1, 20), $1,
       (ARRAY['lead.created','lead.updated','call.created','call.ended','lead.qualified',
              'chat.message','lead.updated','call.updated'])[1 + g % 8],
       '1', json_build_object('id', 'lead_' || g, 'status', 'new'),
       now() - make_interval(secs => ($2 - g) * 3),
       now() - make_interval(secs => ($2 - g) * 3)
FROM generate_series($3::int, $4::int) AS g
"""


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _recreate_database(url: str) -> None:
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(_asyncpg_dsn(_with_database(url, "postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _workspace(database_url: str, slug: str, *, create: bool) -> dict[str, str]:
    """The bench workspace ``slug`` (created, or the kept one) with a new API key."""
    from core.api_keys.schemas import ApiKeyCreate
    from core.api_keys.service import ApiKeyService
    from core.database import Database
    from core.workspaces.service import workspaces

    db = Database(database_url)
    async with db.session() as session:
        if create:
            contact = f"{slug}@example.com"
            workspace = await workspaces.create(session, slug=slug, contact_email=contact)
        else:
            workspace = await workspaces.by_slug(session, slug)
        client = await workspaces.default_client(session, workspace.id)
        issued = await ApiKeyService().create(
            session,
            workspace_id=workspace.id,
            data=ApiKeyCreate(client_id=client.id, name="bench", scopes=SCOPES, tier="enterprise"),
            grantor_scopes=None,
        )
    await db.dispose()
    return {"workspace_id": workspace.id, "key": issued.plaintext}


# The bench's own record of a finished seed, in the bench's database: what --reuse checks.
SEED_MARK = "CREATE TABLE bench_seed (leads integer NOT NULL, seeded_at timestamptz NOT NULL)"


async def _kept_seed(url: str, leads: int) -> bool:
    """Whether the database holds a finished seed of ``leads`` rows; if so, deletes what
    earlier runs added after it (the POST rounds' leads and their events), so every run
    measures the same rows."""
    import asyncpg

    try:
        conn = await asyncpg.connect(_asyncpg_dsn(url))
    except asyncpg.InvalidCatalogNameError:
        return False
    try:
        if await conn.fetchval("SELECT to_regclass('bench_seed')") is None:
            return False
        seeded_at = await conn.fetchval("SELECT seeded_at FROM bench_seed WHERE leads = $1", leads)
        if seeded_at is None:
            return False
        await conn.execute("DELETE FROM leads WHERE created_at > $1", seeded_at)
        await conn.execute("DELETE FROM events WHERE occurred_at > $1", seeded_at)
        return True
    finally:
        await conn.close()


async def _mark_seeded(url: str, leads: int) -> None:
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        await conn.execute(SEED_MARK)
        await conn.execute("INSERT INTO bench_seed VALUES ($1, now())", leads)
    finally:
        await conn.close()


SEEDED_TABLES = ("leads", "calls", "events")
SEEDS = {"leads": SEED_LEADS, "calls": SEED_CALLS, "events": SEED_EVENTS}
# Rows per INSERT: chunks are shared out over the connections, so both cores load rows.
CHUNK = 250_000


async def _run_all(
    database_url: str, jobs: list[tuple[str, tuple[Any, ...]]], workers: int
) -> None:
    """Runs the statements on ``workers`` connections at once, each taking the next job."""
    import asyncpg

    queue = list(reversed(jobs))

    async def worker() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(database_url))
        try:
            # As pg_restore --disable-triggers: the rows are consistent by construction (their
            # workspace exists), so the per-row foreign-key checks are skipped. Superuser only.
            await conn.execute("SET session_replication_role = replica")
            await conn.execute("SET maintenance_work_mem = '256MB'")
            while queue:
                statement, args = queue.pop()
                await conn.execute(statement, *args)
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(workers)))


async def _seed_rows(
    database_url: str, workspaces: dict[str, int], workers: int
) -> dict[str, float]:
    """Loads the rows with the secondary indexes dropped, in chunks over several connections,
    and rebuilds the indexes afterwards from their own definitions (as a restore does): the
    same indexes, built in one pass each. Returns the seconds of each phase."""
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        indexes = await conn.fetch(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i"
            " JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid"
            " WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])"
            " AND NOT x.indisprimary AND NOT x.indisunique",
            list(SEEDED_TABLES),
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
    finally:
        await conn.close()
    loads = []
    for workspace_id, leads in workspaces.items():
        for table in SEEDED_TABLES:
            rows = 5 * leads if table == "events" and leads > SMALL else leads
            for first in range(1, rows + 1, CHUNK):
                last = min(rows, first + CHUNK - 1)
                loads.append((SEEDS[table], (workspace_id, rows, first, last)))
    phases = {}
    started = time.perf_counter()
    await _run_all(database_url, loads, workers)
    phases["load_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    # The slowest builds (trigram GIN) first, so the last job is a short one.
    builds = sorted(indexes, key=lambda i: ("gin" not in i["indexdef"], i["tablename"] != "events"))
    await _run_all(database_url, [(index["indexdef"], ()) for index in builds], workers)
    phases["index_seconds"] = time.perf_counter() - started
    return phases


async def _after_seed(database_url: str, workers: int) -> None:
    """Vacuums and analyses each table, as a routine autovacuum would after a bulk load (the
    visibility map it sets is what lets counts be answered from the indexes)."""
    jobs = [(f"VACUUM ANALYZE {table}", ()) for table in SEEDED_TABLES]
    await _run_all(database_url, [*jobs, ("ANALYZE workspaces, api_keys", ())], workers)


def serve(port: int, database_url: str) -> None:
    import uvicorn

    from core.app import create_app
    from core.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url=database_url,
        rate_limit_enabled=False,
        usage_tracking_enabled=False,
        embedded_worker=False,
        housekeeping_interval_seconds=0,
        log_level="WARNING",
    )
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _routes(email_g: int) -> dict[str, str]:
    """Every documented filter of leads, calls and events, alone and with a sort."""
    now = datetime.now(UTC).replace(microsecond=0)
    after, before = (now - timedelta(days=30)).isoformat(), (now - timedelta(days=23)).isoformat()
    window = f"createdAfter={quote(after)}&createdBefore={quote(before)}"
    started = f"startedAfter={quote(after)}&startedBefore={quote(before)}"
    return {
        "leads.status": "/v1/leads?status=qualified",
        "leads.status+sort": "/v1/leads?status=qualified&sort=-updatedAt",
        "leads.source": "/v1/leads?source=referral",
        "leads.source+sort": "/v1/leads?source=referral&sort=createdAt",
        "leads.email": f"/v1/leads?email=Person{email_g}@EXAMPLE{email_g % 1000}.com",
        "leads.email+sort": f"/v1/leads?email=person{email_g}@example{email_g % 1000}.com"
        "&sort=-updatedAt",
        "leads.tag": "/v1/leads?tag=vip",
        "leads.tag+sort": "/v1/leads?tag=vip&sort=-updatedAt",
        "leads.created": f"/v1/leads?{window}",
        "leads.created+sort": f"/v1/leads?{window}&sort=createdAt",
        "leads.search": "/v1/leads?search=person777",
        "leads.search+sort": "/v1/leads?search=company%204242&sort=-updatedAt",
        "leads.search.common": "/v1/leads?search=example",
        "leads.search.none": "/v1/leads?search=nobody-matches-this",
        "leads.combined": "/v1/leads?status=qualified&tag=vip&source=web&sort=-updatedAt",
        "calls.status": "/v1/calls?status=ended",
        "calls.status+sort": "/v1/calls?status=ended&sort=-startedAt",
        "calls.direction": "/v1/calls?direction=outbound",
        "calls.outcome": "/v1/calls?outcome=booked",
        "calls.outcome+sort": "/v1/calls?outcome=booked&sort=-updatedAt",
        "calls.created": f"/v1/calls?{window}",
        "calls.created+sort": f"/v1/calls?{window}&sort=updatedAt",
        "calls.started": f"/v1/calls?{started}",
        "calls.started+sort": f"/v1/calls?{started}&sort=updatedAt",
        "events.type": "/v1/events?type=lead.created",
        "events.type.prefix": "/v1/events?type=lead.*",
        "events.types": "/v1/events?type=lead.qualified,chat.message",
        "events.created": f"/v1/events?{window}",
        "events.type+created": f"/v1/events?type=call.ended&{window}",
    }


async def _p50_pair(
    client: httpx.AsyncClient, path: str, keys: dict[str, str], requests: int
) -> dict[str, float]:
    latencies: dict[str, list[float]] = {"small": [], "large": []}
    for index in range(requests + 2):
        order = ("small", "large") if index % 2 == 0 else ("large", "small")
        for size in order:
            started = time.perf_counter()
            response = await client.get(path, headers={"Authorization": f"Bearer {keys[size]}"})
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{path} ({size}): {response.status_code} {response.text}")
            if index >= 2:  # the first two pairs warm plans and caches
                latencies[size].append(elapsed)
    return {size: statistics.median(values) * 1000 for size, values in latencies.items()}


async def _create_rate(base: str, key: str, seconds: float, concurrency: int) -> tuple[int, float]:
    done = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        headers = {"Authorization": f"Bearer {key}"}

        async def worker(number: int) -> None:
            nonlocal done
            sent = 0
            while time.perf_counter() < deadline:
                sent += 1
                response = await client.post(
                    "/v1/leads",
                    headers=headers,
                    json={
                        "name": f"Bench {number}-{sent}",
                        "email": f"bench{number}-{sent}@example.org",
                        "tags": ["bench"],
                    },
                )
                if response.status_code != 201:
                    raise RuntimeError(f"POST /v1/leads: {response.status_code} {response.text}")
                done += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        return done, time.perf_counter() - began


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from core.migrations.runner import upgrade_async

    raw_url = args.database_url
    database_url = raw_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if args.reuse and await _kept_seed(raw_url, args.leads):
        # Newer migrations run on the kept rows, as they would on a live database.
        await upgrade_async(database_url)
        timings["migrate_seconds"] = time.perf_counter() - started
        small = await _workspace(database_url, "bench-small", create=False)
        large = await _workspace(database_url, "bench-large", create=False)
    else:
        await _recreate_database(raw_url)
        await upgrade_async(database_url)
        small = await _workspace(database_url, "bench-small", create=True)
        large = await _workspace(database_url, "bench-large", create=True)
        sizes = {small["workspace_id"]: SMALL, large["workspace_id"]: args.leads}
        timings.update(await _seed_rows(raw_url, sizes, args.seed_connections))
        timings["seed_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        await _after_seed(raw_url, args.seed_connections)
        await _mark_seeded(raw_url, args.leads)
        timings["analyze_seconds"] = time.perf_counter() - started
    if args.seed_only:
        return {"benchmark": "api_scale", "seeded": args.leads, **timings}
    print(json.dumps({k: round(v, 1) for k, v in timings.items()}), flush=True)

    port = _free_port()
    logs = Path(tempfile.mkdtemp(prefix="hubwire-scale-")) / "server.log"
    with logs.open("wb") as log:
        server = subprocess.Popen(  # noqa: ASYNC220 - the server must be its own process
            [sys.executable, __file__, "--serve", str(port), "--database-url", database_url],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    keys = {"small": small["key"], "large": large["key"]}
    results: dict[str, dict[str, float]] = {}
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            # A loaded machine may take a while to import and start the app.
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code < 500:
                        break
                if server.poll() is not None:
                    raise RuntimeError(f"the server exited: {logs.read_text()[-2000:]}")
                await asyncio.sleep(0.5)
            base_routes = {"leads.list": "/v1/leads?limit=20", "events.list": "/v1/events?limit=20"}
            base_routes["calls.list"] = "/v1/calls?limit=20"
            for name, path in {**base_routes, **_routes(500)}.items():
                results[name] = await _p50_pair(client, path, keys, args.requests)
                print(
                    json.dumps(
                        {"route": name, **{k: round(v, 2) for k, v in results[name].items()}}
                    ),
                    flush=True,
                )
        rates: dict[str, list[float]] = {"small": [0, 0.0], "large": [0, 0.0]}
        for index in range(args.create_rounds):
            order = ("small", "large") if index % 2 == 0 else ("large", "small")
            for size in order:
                count, elapsed = await _create_rate(
                    base, keys[size], args.create_seconds, args.concurrency
                )
                rates[size][0] += count
                rates[size][1] += elapsed
                print(
                    json.dumps({"create_round": index + 1, "size": size, "rps": count / elapsed}),
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    filters = {k: v for k, v in results.items() if not k.endswith(".list")}
    worst = max(filters, key=lambda k: filters[k]["large"])
    create_small = rates["small"][0] / rates["small"][1]
    create_large = rates["large"][0] / rates["large"][1]
    return {
        "benchmark": "api_scale",
        "large": {"leads": args.leads, "calls": args.leads, "events": 5 * args.leads},
        "small": {"leads": SMALL, "calls": SMALL, "events": SMALL},
        "list_p50_ms": {k: round(v, 2) for k, v in results["leads.list"].items()},
        "events_p50_ms": {k: round(v, 2) for k, v in results["events.list"].items()},
        "list_growth": round(results["leads.list"]["large"] / results["leads.list"]["small"], 3),
        "events_growth": round(
            results["events.list"]["large"] / results["events.list"]["small"], 3
        ),
        "calls_growth": round(results["calls.list"]["large"] / results["calls.list"]["small"], 3),
        "worst_filter": worst,
        "worst_filter_p50_ms": round(filters[worst]["large"], 2),
        "create_rps": {"small": round(create_small, 1), "large": round(create_large, 1)},
        "create_growth": round(create_large / create_small, 3),
        **{k: round(v, 1) for k, v in timings.items()},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=25, help="timed requests per route")
    parser.add_argument("--create-rounds", type=int, default=4)
    parser.add_argument("--create-seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--seed-connections", type=int, default=3, help="connections loading rows at once"
    )
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/hubwire_scale_bench"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database an earlier run seeded with the same --leads (seed it otherwise)",
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or reuse) the database, measure nothing"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve, arguments.database_url)
    else:
        print(json.dumps(asyncio.run(main(arguments))), flush=True)
