"""How fast is the API's hot path next to a bare FastAPI route on the same machine?

Starts, in one run, three servers the way a user would, each its own process on uvicorn:
  constant - a FastAPI route returning a constant, served by the same uvicorn the same way
             (``core.http_server.uvicorn_options``, warning log level)
  pg       - ``hubwire serve`` on PostgreSQL + Redis (a fresh database, a unique Redis prefix)
  sqlite   - ``hubwire serve`` embedded: a SQLite file, the in-process worker
  floor    - the same routes on the same FastAPI and uvicorn doing only the round trips the
             pipeline cannot do without, and nothing else: the rate limiter's one Redis
             script (``RedisLimiter``, the key's four windows), the list's SQL (its page and
             bounded total in one statement) or the write's transaction (the lead and its
             event) straight through asyncpg, the stored JSON columns copied as they are
             (``orjson.Fragment``), the key looked up in a dict. No usage, no metrics, no
             validation, no ORM: what the targets leave for everything else
with the whole pipeline on (API-key auth, the rate limiter, usage tracking, metrics, the
outbox and its in-process worker for writes), and loads them with ``wrk`` (a C load
generator: ``apt-get install wrk``) at the same connection count, in rounds that alternate
the servers so machine noise hits each alike:
  GET  /v1/leads?limit=20  (one workspace of --leads leads)
  POST /v1/leads           (a lead and its event in one transaction, into another workspace
                            so the list stays the same size)
Each measurement reads the server's CPU time (``/proc/<pid>/stat``: user and system apart)
before and after, and the bench waits for the server to fall idle (its worker done with the
events the writes left) before the next one. Per route it prints requests/s, p50/p99 and
server CPU seconds per 1,000 requests; the last line is one JSON object with:

  list_ratio / create_ratio                 PostgreSQL requests/s ÷ the constant route's
  list_ratio_sqlite / create_ratio_sqlite   the same on SQLite
  list_p99_ms                               p99 of the GET on PostgreSQL
  floor_list_ratio / floor_create_ratio     the floor's requests/s ÷ the constant route's
  list_vs_floor / create_vs_floor           PostgreSQL requests/s ÷ the floor's
  sys_share                                 the kernel's share of the server's CPU, GET on PG

Ratios are the median over rounds of each round's route ÷ that round's constant route.

    .venv/bin/python bench/api_throughput.py [--rounds 3] [--seconds 8] [--connections 16]
        [--backends pg,sqlite] [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--redis-url redis://127.0.0.1:6379/0]

``--baseline DIR`` also serves the code of another checkout (``git worktree add DIR <rev>``)
in the same rounds and reports this tree's CPU per request and requests/s ÷ that one's.
The PostgreSQL database is created for the run (``hubwire_tp_<random>``) and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from fastapi import Request  # at module level: the floor's handlers' annotations name it

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api_overhead import seed_workspace  # noqa: E402

LIST_PATH = "/v1/leads?limit=20"
CREATE_BODY = '{"name":"Bench Lead","email":"bench@example.com","tags":["bench"]}'
TICK = os.sysconf("SC_CLK_TCK")

# wrk's summary as one line of JSON (latencies in microseconds).
REPORT_LUA = """
done = function(summary, latency, requests)
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status_errors":%d,'
    .. '"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""
POST_LUA = (
    'wrk.method = "POST"\n'
    f"wrk.body = '{CREATE_BODY}'\n"
    'wrk.headers["Content-Type"] = "application/json"\n'
)


def serve_constant(port: int) -> None:
    """The baseline: FastAPI returning a constant, on the uvicorn ``hubwire serve`` runs."""
    import uvicorn
    from fastapi import FastAPI

    from core.http_server import uvicorn_options

    app = FastAPI()

    @app.get("/v1/leads")
    async def constant() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/v1/leads", status_code=201)
    async def constant_create() -> dict[str, bool]:
        return {"ok": True}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", **uvicorn_options())


def serve_floor(port: int, database_url: str, redis_url: str, seeds: str) -> None:
    """The floor (see the module's docstring): ``seeds`` is the JSON of the two seeded
    workspaces (``seed_workspace``'s answers, the list's and the write's)."""
    import asyncpg
    import orjson
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import Response
    from redis.asyncio import Redis

    from core.http_server import uvicorn_options
    from core.ids import new_id
    from core.leads.models import Lead
    from core.listing import COUNT_BOUND
    from core.ratelimit.limiter import RedisLimiter
    from core.ratelimit.policy import principal_windows

    listed, written = json.loads(seeds)
    principals = {f"Bearer {seed['key']}": seed for seed in (listed, written)}
    # The SQL is built from the model's column names and a constant, nothing sent.
    columns = [column.name for column in Lead.__table__.columns]
    selected = ", ".join(columns)
    json_columns = {"tags", "custom_fields"}
    page_sql = (
        f"SELECT {selected}, (SELECT count(*) FROM (SELECT 1 FROM leads"  # noqa: S608
        f" WHERE workspace_id = $1 LIMIT {COUNT_BOUND + 1}) AS bounded) AS total"
        " FROM leads WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    )
    lead_sql = (
        "INSERT INTO leads (id, workspace_id, name, email, status, tags, custom_fields,"  # noqa: S608
        " email_consent, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, 'new', $5, '{}', 'unknown', now(), now())"
        " RETURNING " + selected
    )
    event_sql = (
        "INSERT INTO events (id, workspace_id, type, version, data, occurred_at)"
        " VALUES ($1, $2, 'lead.created', '1', $3, now())"
    )
    held: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        held["pool"] = await asyncpg.create_pool(dsn, min_size=4, max_size=20)
        held["limiter"] = RedisLimiter(Redis.from_url(redis_url), f"floor{secrets.token_hex(4)}:")
        yield
        await held["pool"].close()
        await held["limiter"].close()

    app = FastAPI(lifespan=lifespan)

    async def admit(request: Request) -> dict[str, str]:
        seed = principals[request.headers["authorization"]]
        windows = principal_windows(f"api_key:{seed['key_id']}", "enterprise", 100_000)
        if not (await held["limiter"].hit(windows)).allowed:
            raise RuntimeError("the floor's limit bound")
        return seed

    def item(row: Any) -> dict[str, Any]:
        out = {name: row[name] for name in columns}
        for name in json_columns:
            out[name] = orjson.Fragment(out[name])
        return out

    @app.get("/v1/leads")
    async def page(request: Request, limit: int = 20) -> Response:
        seed = await admit(request)
        async with held["pool"].acquire() as connection:
            rows = await connection.fetch(page_sql, seed["workspace_id"], limit + 1)
        body = {
            "data": [item(row) for row in rows[:limit]],
            "pagination": {"total": rows[0]["total"] if rows else 0, "hasMore": len(rows) > limit},
        }
        return Response(orjson.dumps(body), media_type="application/json")

    @app.post("/v1/leads", status_code=201)
    async def create(request: Request) -> Response:
        seed = await admit(request)
        sent = orjson.loads(await request.body())
        lead_id = new_id("lead")
        async with held["pool"].acquire() as connection, connection.transaction():
            row = await connection.fetchrow(
                lead_sql,
                lead_id,
                seed["workspace_id"],
                sent.get("name"),
                sent.get("email"),
                orjson.dumps(sent.get("tags", [])).decode(),
            )
            lead = item(row)
            await connection.execute(
                event_sql, new_id("evt"), seed["workspace_id"], orjson.dumps(lead).decode()
            )
        return Response(orjson.dumps(lead), status_code=201, media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", **uvicorn_options())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu(pid: int) -> tuple[float, float]:
    """The process's user and system CPU seconds so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


def _threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    list_key: str = ""
    create_key: str = ""

    def wait_idle(self, within: float = 30.0) -> None:
        """Until the server spent under 5 % of a core over 0.5 s (its worker caught up)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            before = sum(_cpu(self.process.pid))
            time.sleep(0.5)
            if sum(_cpu(self.process.pid)) - before < 0.025:
                return


def _wrk(
    server: Server, method: str, seconds: int, connections: int, workdir: Path
) -> dict[str, Any]:
    script = workdir / f"{method}.lua"
    script.write_text((POST_LUA if method == "POST" else "") + REPORT_LUA)
    key = server.create_key if method == "POST" else server.list_key
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    if key:
        command += ["-H", f"Authorization: Bearer {key}"]
    command.append(server.base + LIST_PATH if method == "GET" else server.base + "/v1/leads")
    user0, sys0 = _cpu(server.process.pid)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    threads = _threads(server.process.pid)
    # The writes' events are fanned out by the in-process worker after the load stops:
    # their CPU belongs to the writes, so it is read once the server is idle again.
    server.wait_idle()
    user1, sys1 = _cpu(server.process.pid)
    line = next(x for x in output.splitlines() if x.startswith("WRK "))
    result: dict[str, Any] = json.loads(line[4:])
    requests = max(1, result["requests"])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["cpu_user_per_1k"] = (user1 - user0) / requests * 1000
    result["cpu_sys_per_1k"] = (sys1 - sys0) / requests * 1000
    result["threads"] = threads
    return result


async def _create_database(admin_url: str) -> str:
    import asyncpg

    name = f"hubwire_tp_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    from core.settings import async_database_url

    return async_database_url(urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}")))


async def _drop_database(admin_url: str, url: str) -> None:
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _wait_ready(base: str, path: str, key: str, process: subprocess.Popen[bytes]) -> None:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    for _ in range(1200):  # a loaded machine takes a while to import the app
        if process.poll() is not None:
            raise SystemExit(f"the server at {base} exited with {process.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(base + path, headers=headers, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not answer")


@contextlib.contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


BENCH_DIR = str(Path(__file__).resolve().parent)


async def _seed(
    database_url: str, leads: int, scopes: list[str], slug: str, tree: str
) -> dict[str, str]:
    """Migrates and seeds with the code that will serve the database: another checkout's
    (``tree``) may stand at an older migration, which this tree's newer ones would put out
    of its reach (its server refuses to start on a database ahead of its code)."""
    if not tree:
        return await seed_workspace(database_url, leads, scopes, slug=slug)
    code = (
        "import asyncio, json, sys; sys.path.insert(1, sys.argv[1]);"
        "from api_overhead import seed_workspace;"
        # api_overhead puts this tree first on sys.path; the other tree goes before it.
        "sys.path.insert(0, sys.argv[6]);"
        "print(json.dumps(asyncio.run(seed_workspace("
        "sys.argv[2], int(sys.argv[3]), sys.argv[4].split(','), slug=sys.argv[5]))))"
    )
    argv = [BENCH_DIR, database_url, str(leads), ",".join(scopes), slug, tree]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        *argv,
        env={**os.environ, "PYTHONPATH": tree},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"seeding with {tree}'s code failed ({process.returncode})")
    seeded: dict[str, str] = json.loads(out.decode().strip().splitlines()[-1])
    return seeded


async def _hubwire(
    stack: contextlib.ExitStack,
    name: str,
    database_url: str,
    args: argparse.Namespace,
    workdir: Path,
    tree: str = "",
) -> Server:
    """Seeds two workspaces (a list one, a write one) and starts ``hubwire serve`` on them
    (from the checkout ``tree`` when given: ``--baseline``)."""
    listed = await _seed(database_url, args.leads, ["leads:read"], f"{name}-list", tree)
    written = await _seed(database_url, 0, ["leads:write"], f"{name}-write", tree)
    env = dict(os.environ)
    env.update(
        {
            "HUBWIRE_DATABASE_URL": database_url,
            "HUBWIRE_SECRET_KEY_FILE": str(workdir / f"{name}-secret.key"),
            "HUBWIRE_LOG_LEVEL": "WARNING",
            "HUBWIRE_ENVIRONMENT": "production",
        }
    )
    if tree:
        # Ahead of the editable install on sys.path: core, sync, … load from that tree.
        env["PYTHONPATH"] = tree
    if name.startswith("pg"):
        env["HUBWIRE_REDIS_URL"] = args.redis_url
        env["HUBWIRE_REDIS_PREFIX"] = f"hwtp{secrets.token_hex(4)}:"
    port = _free_port()
    hubwire = str(Path(sys.executable).parent / "hubwire")
    process = stack.enter_context(
        _process(
            [hubwire, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env,
            workdir / f"{name}.log",
        )
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(base, LIST_PATH, listed["key"], process)
    return Server(name, base, process, listed["key"], written["key"])


def _floor(
    stack: contextlib.ExitStack,
    database_url: str,
    args: argparse.Namespace,
    workdir: Path,
    seeds: list[dict[str, str]],
) -> Server:
    port = _free_port()
    command = [sys.executable, __file__, "--serve-floor", str(port), database_url]
    command += [args.redis_url, json.dumps(seeds)]
    process = stack.enter_context(_process(command, dict(os.environ), workdir / "floor.log"))
    base = f"http://127.0.0.1:{port}"
    _wait_ready(base, LIST_PATH, seeds[0]["key"], process)
    return Server("floor", base, process, seeds[0]["key"], seeds[1]["key"])


def _constant(stack: contextlib.ExitStack, workdir: Path) -> Server:
    port = _free_port()
    process = stack.enter_context(
        _process(
            [sys.executable, __file__, "--serve-constant", str(port)],
            dict(os.environ),
            workdir / "constant.log",
        )
    )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(base, LIST_PATH, "", process)
    return Server("constant", base, process)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


async def main(args: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api_throughput.py needs wrk: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="hubwire-throughput-"))
    backends = [b for b in args.backends.split(",") if b]
    pg_urls: list[str] = []
    results: dict[str, list[dict[str, Any]]] = {}
    trees = [("", "")] + ([("-base", args.baseline)] if args.baseline else [])
    with contextlib.ExitStack() as stack:
        servers = [_constant(stack, workdir)]
        try:
            for suffix, tree in trees:
                if "pg" in backends:
                    pg_urls.append(await _create_database(args.postgres_url))
                    servers.append(
                        await _hubwire(stack, f"pg{suffix}", pg_urls[-1], args, workdir, tree)
                    )
                    if not suffix:
                        # Its own workspaces, so that the lists stay the same size.
                        floor_seeds = [
                            await _seed(pg_urls[-1], args.leads, ["leads:read"], "fl-list", ""),
                            await _seed(pg_urls[-1], 0, ["leads:write"], "fl-write", ""),
                        ]
                        servers.append(_floor(stack, pg_urls[-1], args, workdir, floor_seeds))
                if "sqlite" in backends:
                    sqlite_url = f"sqlite+aiosqlite:///{workdir / f'hubwire{suffix}.db'}"
                    servers.append(
                        await _hubwire(stack, f"sqlite{suffix}", sqlite_url, args, workdir, tree)
                    )
            # Warm each route (pools, caches, first-call imports), then measure in rounds.
            for server in servers:
                for method in ("GET", "POST"):
                    _wrk(server, method, args.warmup, args.connections, workdir)
            for index in range(args.rounds):
                for server in servers:
                    for method in ("GET", "POST"):
                        result = _wrk(server, method, args.seconds, args.connections, workdir)
                        result.update(round=index + 1, server=server.name, method=method)
                        result["load"] = _load()
                        results.setdefault(f"{server.name} {method}", []).append(result)
                        print(
                            f"round {index + 1} {server.name:8} {method:4} "
                            f"{result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:6.2f} ms  "
                            f"p99 {result['p99_us'] / 1000:6.2f} ms  CPU/1k req "
                            f"user {result['cpu_user_per_1k']:.3f} s sys "
                            f"{result['cpu_sys_per_1k']:.3f} s  threads {result['threads']}  "
                            f"non-2xx {result['status_errors']}  socket errors "
                            f"{result['socket_errors']}  load {result['load']}",
                            flush=True,
                        )
        finally:
            for server in servers[1:]:
                if server.name.startswith("pg"):
                    server.process.send_signal(signal.SIGINT)
                    server.process.wait(timeout=30)
            for url in pg_urls:
                await _drop_database(args.postgres_url, url)

    def ratios(name: str, method: str) -> list[float]:
        own = results.get(f"{name} {method}", [])
        constant = results[f"constant {method}"]
        return [r["rps"] / c["rps"] for r, c in zip(own, constant, strict=True)]

    summary: dict[str, Any] = {"benchmark": "api_throughput", "connections": args.connections}
    print("\nmedian over rounds:")
    for route, runs in results.items():
        user = _median([r["cpu_user_per_1k"] for r in runs])
        system = _median([r["cpu_sys_per_1k"] for r in runs])
        rps = [r["rps"] for r in runs]
        print(
            f"  {route:12} {_median(rps):8.1f} req/s (spread {min(rps):.0f}-{max(rps):.0f})  "
            f"p50 {_median([r['p50_us'] for r in runs]) / 1000:6.2f} ms  "
            f"p99 {_median([r['p99_us'] for r in runs]) / 1000:6.2f} ms  "
            f"CPU s/1k req user {user:.3f} sys {system:.3f}  "
            f"non-2xx {sum(r['status_errors'] for r in runs)}"
        )
        key = route.replace(" ", "_").lower()
        summary[f"{key}_rps"] = round(_median(rps), 1)
    failures = sum(r["status_errors"] + r["socket_errors"] for rs in results.values() for r in rs)
    for name, suffix in (("pg", ""), ("sqlite", "_sqlite")):
        if name not in backends:
            continue
        for method, label in (("GET", "list"), ("POST", "create")):
            values = ratios(name, method)
            summary[f"{label}_ratio{suffix}"] = round(_median(values), 4)
            summary[f"{label}_ratio{suffix}_spread"] = [
                round(min(values), 4),
                round(max(values), 4),
            ]
        if args.baseline:
            # This tree's CPU per request ÷ the baseline tree's, same rounds (< 1: cheaper).
            for method, label in (("GET", "list"), ("POST", "create")):
                own, base = results[f"{name} {method}"], results[f"{name}-base {method}"]
                summary[f"{label}_cpu_vs_base{suffix}"] = round(
                    _median([r["cpu_user_per_1k"] + r["cpu_sys_per_1k"] for r in own])
                    / _median([r["cpu_user_per_1k"] + r["cpu_sys_per_1k"] for r in base]),
                    3,
                )
                summary[f"{label}_rps_vs_base{suffix}"] = round(
                    _median([r["rps"] for r in own]) / _median([r["rps"] for r in base]), 3
                )
    if "pg" in backends:
        for method, label in (("GET", "list"), ("POST", "create")):
            summary[f"floor_{label}_ratio"] = round(_median(ratios("floor", method)), 4)
            own, floor = results[f"pg {method}"], results[f"floor {method}"]
            summary[f"{label}_vs_floor"] = round(
                _median([r["rps"] / f["rps"] for r, f in zip(own, floor, strict=True)]), 4
            )
    main_backend = "pg" if "pg" in backends else backends[0]
    listed = results[f"{main_backend} GET"]
    summary["list_p99_ms"] = round(_median([r["p99_us"] for r in listed]) / 1000, 2)
    user = _median([r["cpu_user_per_1k"] for r in listed])
    system = _median([r["cpu_sys_per_1k"] for r in listed])
    summary["list_cpu_ms_per_request"] = round(user + system, 3)
    summary["sys_share"] = round(system / (user + system), 3) if user + system else 0.0
    summary["failed_requests"] = failures
    summary["rounds"] = args.rounds
    summary["seconds"] = args.seconds
    summary["load"] = _load()
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--backends", default="pg,sqlite")
    parser.add_argument(
        "--baseline",
        default="",
        help="another checkout (a git worktree) whose hubwire is measured in the same rounds",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "HUBWIRE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a server and a database to connect to while creating the run's own database",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("HUBWIRE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--serve-constant", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-floor", nargs=4, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_constant:
        serve_constant(arguments.serve_constant)
    elif arguments.serve_floor:
        port, database_url, redis_url, seeds = arguments.serve_floor
        serve_floor(int(port), database_url, redis_url, seeds)
    else:
        print(json.dumps(asyncio.run(main(arguments))), flush=True)
