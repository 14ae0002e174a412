"""What do authentication, rate limiting and usage tracking cost on the request path?

Serves two copies of the same app from one server process, side by side:
  /full/v1/leads  - API-key auth, rate limiting and usage tracking, as in production
  /bare/v1/leads  - the same handler with all three turned off
  /nometrics/v1/leads - the full app with /metrics turned off (``--variants full,nometrics``
                   measures what the Prometheus instrumentation costs)
and loads two of them alternately in short rounds (so machine noise hits both alike) with the
same number of concurrent keep-alive connections. The last line printed is one JSON object
with ``throughput_ratio`` and ``p99_ratio`` (first variant ÷ second: full ÷ bare by default).

    .venv/bin/python bench/api_overhead.py [--rounds 6] [--seconds 4] [--concurrency 16]
        [--variants full,bare]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_PRINCIPAL = "bench-principal.json"


def _settings(database_url: str, instrumented: bool, metrics: bool | None = None) -> Any:
    from core.settings import Settings

    return Settings(
        _env_file=None,
        database_url=database_url,
        redis_url=os.environ.get("HUBWIRE_BENCH_REDIS_URL", ""),
        rate_limit_enabled=instrumented,
        usage_tracking_enabled=instrumented,
        metrics_enabled=instrumented if metrics is None else metrics,
        # Both variants share one process, which may run one embedded worker; GETs need none.
        embedded_worker=False,
        log_level="WARNING",
    )


async def seed_workspace(
    database_url: str, leads: int, scopes: list[str], slug: str = "bench"
) -> dict[str, str]:
    """A workspace with ``leads`` leads and an API key with ``scopes`` and a limit high
    enough not to bind (bench/api_throughput.py seeds its workspaces with it too)."""
    from core.api_keys.schemas import ApiKeyCreate
    from core.api_keys.service import ApiKeyService
    from core.database import Database
    from core.leads.models import Lead
    from core.migrations.runner import upgrade_async
    from core.workspaces.service import workspaces

    await upgrade_async(database_url)
    db = Database(database_url)
    async with db.session() as session:
        workspace = await workspaces.create(session, slug=slug, contact_email=f"{slug}@example.com")
        client = await workspaces.default_client(session, workspace.id)
        session.add_all(
            [
                Lead(workspace_id=workspace.id, name=f"Lead {i}", email=f"l{i}@example.com")
                for i in range(leads)
            ]
        )
        issued = await ApiKeyService().create(
            session,
            workspace_id=workspace.id,
            data=ApiKeyCreate(
                client_id=client.id,
                name="bench",
                scopes=scopes,
                tier="enterprise",
                rate_limit_override=100_000,
            ),
            grantor_scopes=None,
        )
    await db.dispose()
    return {
        "workspace_id": workspace.id,
        "client_id": client.id,
        "key": issued.plaintext,
        "key_id": issued.key.id,
    }


def serve(port: int, database_url: str, seed: dict[str, str]) -> None:
    """The server process: both apps behind one uvicorn listener."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from core.app import create_app
    from core.plugins.auth import Principal

    full = create_app(_settings(database_url, instrumented=True))
    bare = create_app(_settings(database_url, instrumented=False))
    nometrics = create_app(_settings(database_url, instrumented=True, metrics=False))
    fixed = Principal(
        kind="api_key",
        id=seed["key_id"],
        workspace_id=seed["workspace_id"],
        client_id=seed["client_id"],
        scopes=frozenset({"leads:read"}),
        tier="enterprise",
        rate_limit_override=None,
        environment="live",
    )

    class NoAuthentication:
        """Accepts every request as one fixed principal, doing no work at all. (FastAPI's
        dependency_overrides would re-resolve the dependency tree per request and make the
        baseline slower than the real thing.)"""

        async def authenticate(self, authorization: str | None, client_ip: str | None) -> Principal:
            return fixed

    bare.state.services.authenticator = NoAuthentication()

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with (
            full.router.lifespan_context(full),
            bare.router.lifespan_context(bare),
            nometrics.router.lifespan_context(nometrics),
        ):
            yield

    mounts = [Mount("/full", full), Mount("/bare", bare), Mount("/nometrics", nometrics)]
    app = Starlette(routes=mounts, lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def _round(
    base: str, path: str, key: str, seconds: float, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        headers = {"Authorization": f"Bearer {key}"}

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(path, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "elapsed": elapsed,
        "latencies": latencies,
        "failures": failures,
    }


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def main(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="hubwire-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    seed = await seed_workspace(database_url, args.leads, ["leads:read"])
    (workdir / BENCH_PRINCIPAL).write_text(json.dumps(seed))
    port = _free_port()
    server = subprocess.Popen(  # noqa: ASYNC220 - the server must be its own process
        [
            sys.executable,
            __file__,
            "--serve",
            str(port),
            "--database-url",
            database_url,
            "--seed-file",
            str(workdir / BENCH_PRINCIPAL),
        ],
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as probe:
            for _ in range(900):  # a loaded machine takes a while to import three apps
                with contextlib.suppress(httpx.TransportError):
                    if (await probe.get("/bare/v1/leads?limit=1")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
        path = f"/v1/leads?limit={args.limit}"
        first, second = args.variants.split(",")
        # Warm both (connection pools, caches, JIT-free but import-heavy first calls).
        for variant in (first, second):
            await _round(base, f"/{variant}{path}", seed["key"], 1.0, args.concurrency)
        totals: dict[str, dict[str, Any]] = {
            v: {"requests": 0, "elapsed": 0.0, "latencies": [], "failures": 0}
            for v in (first, second)
        }
        for index in range(args.rounds):
            order = (first, second) if index % 2 == 0 else (second, first)
            for variant in order:
                result = await _round(
                    base, f"/{variant}{path}", seed["key"], args.seconds, args.concurrency
                )
                for field in ("requests", "elapsed", "failures"):
                    totals[variant][field] += result[field]
                totals[variant]["latencies"] += result["latencies"]
                print(
                    json.dumps(
                        {
                            "round": index + 1,
                            "variant": variant,
                            "rps": round(result["requests"] / result["elapsed"], 1),
                            "p99_ms": round(_p99(result["latencies"]) * 1000, 2),
                        }
                    ),
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary: dict[str, Any] = {
        "benchmark": "api_overhead",
        "endpoint": f"GET /v1/leads?limit={args.limit}",
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "seconds_per_round": args.seconds,
        "database": database_url.split(":")[0],
        "variants": f"{first} / {second}",
    }
    for variant, total in totals.items():
        summary[f"{variant}_rps"] = round(total["requests"] / total["elapsed"], 1)
        summary[f"{variant}_p99_ms"] = round(_p99(total["latencies"]) * 1000, 2)
        summary[f"{variant}_non_200"] = total["failures"]
    summary["throughput_ratio"] = round(summary[f"{first}_rps"] / summary[f"{second}_rps"], 3)
    summary["p99_ratio"] = round(summary[f"{first}_p99_ms"] / summary[f"{second}_p99_ms"], 3)
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--variants",
        default="full,bare",
        choices=["full,bare", "full,nometrics", "nometrics,bare"],
        help="the two apps compared, first ÷ second",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(
            arguments.serve,
            arguments.database_url,
            json.loads(Path(arguments.seed_file).read_text()),
        )
    else:
        print(json.dumps(asyncio.run(main(arguments))), flush=True)
