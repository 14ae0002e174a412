"""How fast, and how cheaply, does the delivery engine send webhooks?

Side by side in one run, against the same local receiver (an aiohttp server in its own
process, answering 200 at once):
  (c) ceiling - a raw aiohttp sender, nothing persisted, ``webhook_concurrency`` in flight;
  (b) naive   - one Celery task per delivery doing ``requests.post`` (bench/naive_celery.py),
                one worker process, same broker (4 and 100 threads; the faster counts);
  (a) engine  - one ``hubwire worker`` process (PostgreSQL + Redis, every attempt recorded):
                N events committed at once, timed from the dispatch signal to "every
                delivery succeeded" in the database.
(c) and (a) run in ``--rounds`` pairs, back to back (the worker up but idle during (c)),
after ``--warmup-rounds`` pairs (1) that are printed with ``"counted": false`` and left out
of every figure: the first full burst opens the sender's connections and the database's
prepared statements, which later bursts reuse. ``cpu_ratio`` is the median of the counted
rounds' (worker CPU per delivery in (a)) / (the ceiling process's CPU per request in (c)):
what a delivery costs the engine beside a bare aiohttp request, which holds still when the
machine's other load moves the rates by up to 3x within one run. Between (c) and (a) each
round also sends the same requests through the engine's own HTTP client
(``core.webhooks.client``) bare, (o): ``cpu_ratio_vs_own_client`` is what the engine adds to
its own sender. ``deliveries_per_s`` is the median engine rate. The summary gives every
counted round too (``*_by_round``), so one slow round shows.

Then steady production, one commit every ``--tick-ms`` (50 by default, each commit its own
dispatch task, as requests send): a probe offers more than the engine can take for
``--probe-seconds``; from 95 % of the rate it delivered, ``--sustain-seconds`` (60) runs at
a steady rate, stepping down 10 % until the engine keeps up (the queue of undispatched events
and pending deliveries, sampled every second, ends the run below half a second's
production, i.e. it does not grow): ``sustained_per_s``. Last, the event-to-delivery latency
(event ``timestamp`` -> arrival at the receiver) at 10 % and 50 % of ``sustained_per_s``:
``p95_latency_ratio_50`` = p95 at 50 % / p95 at 10 %. Before each phase the tables are
vacuumed and analysed, as autovacuum would (servers may run without it).

The last line is one JSON object with ``cpu_ratio``, ``sustained_per_s``,
``p95_latency_ratio_50``, ``deliveries_per_s``, ``ratio_vs_naive`` (a / b) and
``targets_met``. Each engine line also gives the CPU milliseconds per delivery of the
worker, the receiver and the database's backends. ``--skip-naive`` / ``--skip-latency``
(no steady phases) shorten a run while tuning; ``--profile`` attaches py-spy to the worker.

    .venv/bin/python bench/webhook_throughput.py [--deliveries 5000] [--sustain-seconds 60]

Servers: ``HUBWIRE_BENCH_POSTGRES_URL`` (a temporary database is created in it and dropped)
and ``HUBWIRE_BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/8; keys get a unique prefix).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.live_server import free_port  # noqa: E402  (needs ROOT on the path)
from tests.support.processes import hubwire_command  # noqa: E402
from tests.support.servers import temporary_database  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"


def emit_line(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def _p(values: list[float], q: int) -> float:
    if not values:
        return math.nan
    if len(values) < 100:
        return sorted(values)[min(len(values) - 1, int(len(values) * q / 100))]
    return statistics.quantiles(values, n=100)[q - 1]


# -- the receiver (its own process) -----------------------------------------------------------


def receive(port: int) -> None:
    """Answers 200 to every POST; records arrival time, `webhook-id` and body."""
    from aiohttp import web

    records: list[tuple[float, str, bytes]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        records.append((time.time(), request.headers.get("webhook-id", ""), body))
        return web.Response(status=200)

    async def count(_: web.Request) -> web.Response:
        return web.json_response({"count": len(records)})

    async def dump(_: web.Request) -> web.Response:
        out = []
        for arrived, webhook_id, body in records:
            try:
                stamp = json.loads(body).get("timestamp")
            except ValueError:
                stamp = None
            out.append([arrived, webhook_id, stamp])
        return web.json_response(out)

    async def reset(_: web.Request) -> web.Response:
        records.clear()
        return web.json_response({"count": 0})

    app = web.Application()
    app.router.add_post("/hooks", hook)
    app.router.add_get("/_count", count)
    app.router.add_get("/_records", dump)
    app.router.add_post("/_reset", reset)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None, backlog=2048)


class ReceiverClient:
    def __init__(self, port: int, http: aiohttp.ClientSession) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.url = f"{self.base}/hooks"
        self.http = http

    async def count(self) -> int:
        async with self.http.get(f"{self.base}/_count") as response:
            return int((await response.json())["count"])

    async def records(self) -> list[list[Any]]:
        async with self.http.get(f"{self.base}/_records") as response:
            return list(await response.json())

    async def reset(self) -> None:
        async with self.http.post(f"{self.base}/_reset") as response:
            response.raise_for_status()

    async def wait_count(self, expected: int, within: float) -> float:
        deadline = time.monotonic() + within
        while (got := await self.count()) < expected:
            if time.monotonic() > deadline:
                raise TimeoutError(f"receiver got {got} of {expected}")
            await asyncio.sleep(0.05)
        return time.perf_counter()


# -- processes -------------------------------------------------------------------------------


@contextlib.contextmanager
def process(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("HUBWIRE_", "NAIVE_"))}


class CpuMeter:
    """CPU seconds (user + system, from /proc; Linux) of the engine's worker process, the
    receiver, and the PostgreSQL backends connected to the bench database (every client's:
    the worker's and this script's own). Other load on the machine is left out, so these
    figures say what a delivery costs even when the rates move with that load."""

    def __init__(self, database: str, pids: dict[str, int]) -> None:
        self.database = database
        self.pids = pids
        self.tick = os.sysconf("SC_CLK_TCK")

    def _cpu(self, pid: int | str) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / self.tick

    def sample(self) -> dict[str, float]:
        found = {name: self._cpu(pid) for name, pid in self.pids.items()}
        backends = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"postgres:") and self.database.encode() in cmdline:
                backends += self._cpu(entry.name)
        found["postgres"] = backends
        return found

    @staticmethod
    def per_delivery(before: dict[str, float], after: dict[str, float], n: int) -> dict[str, Any]:
        """CPU milliseconds per delivery, by process."""
        return {
            f"cpu_ms_per_delivery_{k}": round((after[k] - before[k]) * 1000 / n, 3) for k in after
        }


# -- the database ----------------------------------------------------------------------------


async def _seed(settings: Any, receiver_url: str) -> dict[str, str]:
    """A workspace and one `lead.*` subscription, created through POST /v1/webhooks."""
    from core.database import Database
    from core.migrations.runner import upgrade_async
    from core.workspaces.service import workspaces
    from tests.support.webhooks import subscribe_through_api

    await upgrade_async(settings.database_url)
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug="bench", contact_email="b@example.com"
            )
    finally:
        await db.dispose()
    # One receiver takes the whole engine: its concurrency as high as the operator allows
    # (the per-endpoint default of 10 would measure isolation, not the engine).
    hook = await subscribe_through_api(
        settings,
        workspace.id,
        receiver_url,
        maxConcurrency=settings.webhook_endpoint_concurrency_max,
    )
    return {"workspace_id": workspace.id, "webhook_id": hook["id"], "secret": hook["secret"]}


class Outbox:
    """Writes events the way a request does: the event rows in one transaction, the dispatch
    task sent after the commit. As one multi-row INSERT rather than an ORM object per event
    (``emit``): the same rows and the same task for the worker, but this load generator
    shares the machine's two cores with what it measures, and ORM objects (and one
    ``os.urandom`` call per id character) cost it ~0.1 ms of CPU per event."""

    def __init__(self, settings: Any, workspace_id: str) -> None:
        from core.database import Database
        from sync.celery_app import create_celery
        from sync.queue import CeleryTaskQueue

        self.db = Database(settings.database_url)
        self.db.attach_task_queue(CeleryTaskQueue(create_celery(settings)))
        self.workspace_id = workspace_id
        self.made = 0

    async def emit(self, count: int) -> None:
        from sqlalchemy import insert

        from core.database import utcnow
        from core.events.models import Event
        from core.ids import new_ids
        from core.tasks import RELAY_EVENTS_TASK, enqueue_after_commit

        async with self.db.session() as session:
            rows = []
            occurred_at = utcnow()
            for event_id in new_ids("evt", count):
                n = self.made = self.made + 1
                rows.append(
                    {
                        "id": event_id,
                        "workspace_id": self.workspace_id,
                        "type": "lead.created",
                        "version": "1",
                        "data": {
                            "id": f"lead_{n}",
                            "name": f"Lead {n}",
                            "email": f"l{n}@example.com",
                        },
                        "occurred_at": occurred_at,
                    }
                )
            if rows:
                await session.execute(insert(Event), rows)
                enqueue_after_commit(session, RELAY_EVENTS_TASK)

    async def counts(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from core.webhooks.models import Delivery

        async with self.db.session() as session:
            rows = await session.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
            return {status: count for status, count in rows.all()}

    async def wait_succeeded(self, expected: int, within: float) -> float:
        """Polls every 10 ms until ``expected`` deliveries have succeeded. The poll is two
        index probes (an undispatched event? a pending delivery?); the full count by status,
        a scan of the whole table, runs only once nothing is left in flight, so watching
        does not take the CPU the engine is being measured with."""
        from sqlalchemy import text

        in_flight = text(
            "SELECT EXISTS (SELECT 1 FROM events WHERE dispatched_at IS NULL) "
            "OR EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 'pending')"
        )
        deadline = time.monotonic() + within
        while True:
            async with self.db.session() as session:
                busy = await session.scalar(in_flight)
            if not busy:
                ended = time.perf_counter()
                got = (await self.counts()).get("succeeded", 0)
                if got >= expected:
                    return ended
            if time.monotonic() > deadline:
                got = (await self.counts()).get("succeeded", 0)
                raise TimeoutError(f"{got} of {expected} deliveries succeeded")
            await asyncio.sleep(0.01)

    async def backlog(self) -> int:
        """Work not done yet: undispatched events plus pending deliveries (both counted
        through their indexes: the outbox's ``dispatched_at`` and the pending-only
        endpoint index)."""
        from sqlalchemy import text

        async with self.db.session() as session:
            found = await session.scalar(
                text(
                    "SELECT (SELECT count(*) FROM events WHERE dispatched_at IS NULL) "
                    "+ (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')"
                )
            )
        return int(found or 0)

    async def vacuum(self) -> None:
        """What autovacuum does between phases (servers may run with it off, as this
        machine's does): without it, every phase leaves dead delivery and event rows that
        the next one's queries and index updates wade through."""
        from sqlalchemy import text

        async with self.db.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(
                text("VACUUM ANALYZE events, webhook_deliveries, webhook_delivery_attempts")
            )

    async def marker(self) -> tuple[Any, Any]:
        """The newest event's and the newest delivery's times: what a phase's breakdown
        starts after (every earlier phase has finished)."""
        from sqlalchemy import text

        async with self.db.session() as session:
            row = await session.execute(
                text(
                    "SELECT (SELECT max(occurred_at) FROM events), "
                    "(SELECT max(created_at) FROM webhook_deliveries)"
                )
            )
            return tuple(row.one())

    async def breakdown(self, after: tuple[Any, Any]) -> dict[str, float]:
        """p95 of the two halves of the latency, as the database recorded them: event ->
        fanned out (dispatched_at), delivery created -> first attempt."""
        from sqlalchemy import text

        fan_out_sql = text(
            "SELECT percentile_cont(0.95) WITHIN GROUP "
            "(ORDER BY extract(epoch FROM dispatched_at - occurred_at)) "
            "FROM events WHERE occurred_at > :after"
        )
        send_sql = text(
            "SELECT percentile_cont(0.95) WITHIN GROUP "
            "(ORDER BY extract(epoch FROM a.attempted_at - d.created_at)) "
            "FROM webhook_deliveries d JOIN webhook_delivery_attempts a "
            "ON a.delivery_id = d.id AND a.number = 1 WHERE d.created_at > :after"
        )
        async with self.db.session() as session:
            fan_out = await session.scalar(fan_out_sql, {"after": after[0]})
            # By the deliveries' own time: joined through events, the planner (statistics
            # from before the phase: "no newer events") looked up each event's deliveries
            # with a scan of the (webhook, event) index, for seconds.
            send = await session.scalar(send_sql, {"after": after[1]})
        return {
            "p95_fan_out_ms": round(float(fan_out or 0) * 1000, 1),
            "p95_queued_to_sent_ms": round(float(send or 0) * 1000, 1),
        }

    async def attempt_window(self) -> tuple[int, float]:
        """(attempt rows, seconds from the first attempt to the last) as recorded."""
        from sqlalchemy import func, select

        from core.webhooks.models import DeliveryAttempt

        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(
                        func.count(),
                        func.min(DeliveryAttempt.attempted_at),
                        func.max(DeliveryAttempt.attempted_at),
                    )
                )
            ).one()
        return int(row[0]), (row[2] - row[1]).total_seconds()


# -- the three senders ---------------------------------------------------------------------


def _sample_body(n: int) -> str:
    return json.dumps(
        {
            "id": f"evt_{n:020d}",
            "type": "lead.created",
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "workspaceId": "ws_bench",
            "data": {"id": f"lead_{n}", "name": f"Lead {n}", "email": f"l{n}@example.com"},
            "version": "1",
        },
        separators=(",", ":"),
    )


async def _send_all(
    name: str, deliveries: int, concurrency: int, post: Callable[[int, bytes], Awaitable[int]]
) -> tuple[float, float]:
    """``deliveries`` sample bodies through ``post(n, body) -> status``, ``concurrency`` at
    once. Returns the rate and the CPU milliseconds this process spent per request (it does
    nothing else meanwhile)."""
    bodies = [_sample_body(n).encode() for n in range(deliveries)]
    queue = iter(enumerate(bodies))
    failures = 0

    async def worker() -> None:
        nonlocal failures
        for n, body in queue:
            failures += await post(n, body) != 200

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    if failures:
        raise RuntimeError(f"{name}: {failures} non-200 answers")
    return deliveries / elapsed, cpu * 1000 / deliveries


async def ceiling(url: str, deliveries: int, concurrency: int) -> tuple[float, float]:
    """Raw aiohttp: the same POSTs, no signing, no persistence, ``concurrency`` in flight:
    what one delivery costs a sender that only sends."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def post(n: int, body: bytes) -> int:
            headers = {"content-type": "application/json", "webhook-id": f"msg_{n}"}
            async with http.post(url, data=body, headers=headers) as response:
                await response.read()
                return response.status

        return await _send_all("ceiling", deliveries, concurrency, post)


async def own_client(url: str, deliveries: int, concurrency: int) -> tuple[float, float]:
    """As :func:`ceiling`, with the engine's own HTTP client
    (``core.webhooks.client.KeepAliveClient``) instead of aiohttp: what a delivery costs
    that client alone, so ``cpu_ratio_vs_own_client`` shows what the engine adds to it."""
    from core.webhooks.addresses import AddressPolicy
    from core.webhooks.client import KeepAliveClient, Target

    client = KeepAliveClient(AddressPolicy(allow_private=True), idle_most=concurrency)
    target = Target.parse(url)

    async def post(n: int, body: bytes) -> int:
        fields = (
            f"content-type: application/json\r\nwebhook-id: msg_{n}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return (await client.post(target, fields, body, read_limit=64 * 1024)).status

    try:
        return await _send_all("own client", deliveries, concurrency, post)
    finally:
        await client.close()


async def naive(
    receiver: ReceiverClient,
    redis_url: str,
    secret: str,
    deliveries: int,
    concurrency: int,
    logs: Path,
) -> float:
    """One Celery task per delivery (requests.post), one worker process with threads."""
    if "naive_celery" not in sys.modules:
        # The app reads its broker and key prefix from the environment when imported.
        sys.path.insert(0, str(ROOT / "bench"))
        os.environ.update(NAIVE_BROKER_URL=redis_url, NAIVE_PREFIX=f"naive:{secrets.token_hex(4)}:")
    import naive_celery

    env = _clean_env() | {
        "NAIVE_BROKER_URL": os.environ["NAIVE_BROKER_URL"],
        "NAIVE_PREFIX": os.environ["NAIVE_PREFIX"],
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
    }

    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "naive_celery",
        "worker",
        "--pool=threads",
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
    ]
    app = naive_celery.app
    with process(argv, env, logs / f"naive-{concurrency}.log"):
        await receiver.reset()
        # Warm up: the worker is consuming once its first task has arrived.
        app.send_task(
            naive_celery.TASK, args=[receiver.url, "msg_warm", _sample_body(0), secret, "x"]
        )
        await receiver.wait_count(1, 60)
        await receiver.reset()
        bodies = [_sample_body(n) for n in range(deliveries)]
        began = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for n, body in enumerate(bodies):
                app.send_task(
                    naive_celery.TASK,
                    args=[receiver.url, f"msg_naive_{n}", body, secret, "lead.created"],
                    producer=producer,
                )
        ended = await receiver.wait_count(deliveries, 600)
    return deliveries / (ended - began)


async def engine_throughput(outbox: Outbox, deliveries: int, cpu: CpuMeter) -> dict[str, Any]:
    """N events committed at once (one dispatch signal, as a request sends); timed until
    the database says every delivery succeeded."""
    await outbox.vacuum()
    before = (await outbox.counts()).get("succeeded", 0)
    # Sampled before the commit: the worker starts on its signal, and a /proc walk after
    # it would run off the clock (and PostgreSQL's CPU includes the events' insert, as in
    # the steady phases).
    used = cpu.sample()
    await outbox.emit(deliveries)
    began = time.perf_counter()
    ended = await outbox.wait_succeeded(before + deliveries, 600)
    spent = cpu.sample()
    return {
        "deliveries_per_s": deliveries / (ended - began),
        "seconds": ended - began,
        "worker_cpu_s": round(spent["worker"] - used["worker"], 3),
        **cpu.per_delivery(used, spent, deliveries),
    }


async def produce(
    outbox: Outbox,
    rate: float,
    seconds: float,
    tick: float,
    *,
    at_quarter: Callable[[], Awaitable[None]] | None = None,
) -> tuple[int, float]:
    """Commits events at a steady ``rate``, one commit every ``tick``, for ``seconds``
    (calling ``at_quarter`` once a quarter of that has passed); returns how many events
    and how long it took."""
    per_tick = rate * tick
    made, owed, ticks = 0, 0.0, 0
    began = time.perf_counter()
    while (now := time.perf_counter()) - began < seconds:
        if at_quarter is not None and now - began >= seconds / 4:
            await at_quarter()
            at_quarter = None
        owed += per_tick
        batch = int(owed)
        owed -= batch
        if batch:
            await outbox.emit(batch)
            made += batch
        ticks += 1
        pause = began + ticks * tick - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
    return made, time.perf_counter() - began


async def engine_latency(
    outbox: Outbox,
    receiver: ReceiverClient,
    rate: float,
    seconds: float,
    cpu: CpuMeter,
    tick: float,
) -> dict[str, Any]:
    """Events at a steady ``rate`` (a commit every ``tick`` seconds) for ``seconds``;
    p50/p95/p99 of event timestamp -> arrival at the receiver."""
    await receiver.reset()
    await outbox.vacuum()
    before = (await outbox.counts()).get("succeeded", 0)
    marker = await outbox.marker()
    used = cpu.sample()
    made, produced_for = await produce(outbox, rate, seconds, max(tick, 1 / rate))
    await outbox.wait_succeeded(before + made, 300)
    cost = cpu.per_delivery(used, cpu.sample(), made)
    await receiver.wait_count(made, 60)
    first: dict[str, float] = {}
    for arrived, webhook_id, stamp in await receiver.records():
        if webhook_id not in first and stamp:
            occurred = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
            first[webhook_id] = arrived - occurred
    latencies = list(first.values())
    return {
        "target_rate": round(rate, 1),
        "achieved_rate": round(made / produced_for, 1),
        "events": made,
        "p50_ms": round(_p(latencies, 50) * 1000, 1),
        "p95_ms": round(_p(latencies, 95) * 1000, 1),
        "p99_ms": round(_p(latencies, 99) * 1000, 1),
        **await outbox.breakdown(marker),
        **cost,
    }


async def engine_probe(
    outbox: Outbox, rate: float, seconds: float, tick: float, cpu: CpuMeter
) -> dict[str, Any]:
    """Steady production offering more than the engine can take (``rate`` in commits every
    ``tick`` for ``seconds``): the rate of deliveries that succeeded between the end of the
    first quarter (the pipeline full) and the end of production, where the search for the
    sustained rate starts. Waits for the backlog to drain before returning."""
    await outbox.vacuum()
    before = (await outbox.counts()).get("succeeded", 0)
    used = cpu.sample()
    window_start: list[tuple[float, int]] = []

    async def start_window() -> None:
        window_start.append((time.perf_counter(), (await outbox.counts()).get("succeeded", 0)))

    made, _ = await produce(outbox, rate, seconds, tick, at_quarter=start_window)
    ended, succeeded = time.perf_counter(), (await outbox.counts()).get("succeeded", 0)
    ((started, succeeded_before),) = window_start
    delivered = (succeeded - succeeded_before) / (ended - started)
    await outbox.wait_succeeded(before + made, 600)
    return {
        "offered_rate": round(rate, 1),
        "delivered_rate": round(delivered, 1),
        "events": made,
        **cpu.per_delivery(used, cpu.sample(), made),
    }


async def engine_steady(
    outbox: Outbox, rate: float, seconds: float, tick: float, cpu: CpuMeter
) -> dict[str, Any]:
    """Production at a steady ``rate`` for ``seconds`` while the backlog (undispatched
    events + pending deliveries) is sampled every second. The engine keeps up when the
    backlog at the end (median of the last 5 samples) is below half a second's production
    (at least 200): a queue that grows by even 1 % of the rate ends a 60 s run above that.
    Waits for the backlog to drain before returning."""
    await outbox.vacuum()
    before = (await outbox.counts()).get("succeeded", 0)
    used = cpu.sample()
    samples: list[tuple[float, int]] = []
    began = time.perf_counter()

    async def sample() -> None:
        while True:
            await asyncio.sleep(1.0)
            samples.append((time.perf_counter() - began, await outbox.backlog()))

    sampler = asyncio.create_task(sample())
    try:
        made, produced_for = await produce(outbox, rate, seconds, max(tick, 1 / rate))
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    tail = sorted(b for _, b in samples[-5:])
    final = tail[len(tail) // 2] if tail else 0
    bound = max(200.0, rate * 0.5)
    # The trend over the second half, for the record: backlog per second (least squares).
    half = [(t, b) for t, b in samples if t >= seconds / 2]
    slope = 0.0
    if len(half) >= 2:
        mean_t = statistics.fmean(t for t, _ in half)
        mean_b = statistics.fmean(b for _, b in half)
        var = sum((t - mean_t) ** 2 for t, _ in half)
        slope = sum((t - mean_t) * (b - mean_b) for t, b in half) / var if var else 0.0
    await outbox.wait_succeeded(before + made, 600)
    return {
        "rate": round(rate, 1),
        "achieved_rate": round(made / produced_for, 1),
        "events": made,
        "kept_up": final <= bound,
        "backlog_end": final,
        "backlog_max": max((b for _, b in samples), default=0),
        "backlog_slope_per_s": round(slope, 1),
        **cpu.per_delivery(used, cpu.sample(), made),
    }


def _py_spy() -> str:
    """py-spy from the virtualenv, else from the PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy") or "py-spy"


# -- the run ---------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from core.crypto import new_secret_key
    from core.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix="hubwire-bench-webhooks-"))
    redis_url = args.redis_url
    port = free_port()
    receiver_argv = [sys.executable, __file__, "--receive", str(port)]
    summary: dict[str, Any] = {
        "benchmark": "webhook_throughput",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "deliveries": args.deliveries,
        "tick_ms": args.tick_ms,
        "worker_env": args.worker_env,
    }
    async with (
        temporary_database(args.postgres_url, "hubwire_bench") as database_url,
        aiohttp.ClientSession() as http,
    ):
        with process(receiver_argv, _clean_env(), workdir / "receiver.log") as receiver_process:
            receiver = ReceiverClient(port, http)
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientError):
                    await receiver.count()
                    break
                await asyncio.sleep(0.05)
            settings = Settings(
                _env_file=None,
                environment="production",
                database_url=database_url,
                broker_url=redis_url,
                redis_prefix=f"hwbench:{secrets.token_hex(4)}:",
                secret_key=new_secret_key(),
                webhook_allow_private=True,
                embedded_worker=False,
                rate_limit_enabled=False,
                usage_tracking_enabled=False,
                log_level="WARNING",
            )
            seed = await _seed(settings, receiver.url)
            overrides = dict(item.split("=", 1) for item in args.worker_env)
            # The ceiling keeps as many requests in flight as the engine's worker does.
            concurrency = int(
                overrides.get("HUBWIRE_WEBHOOK_CONCURRENCY", settings.webhook_concurrency)
            )

            # (c) the ceiling, warmed up here; measured below, round by round beside (a)
            await receiver.reset()
            await ceiling(receiver.url, min(1000, args.deliveries), concurrency)
            await own_client(receiver.url, min(1000, args.deliveries), concurrency)

            # (b) the naive baseline
            naive_rates = {}
            for threads in [] if args.skip_naive else args.naive_concurrency:
                rate = await naive(
                    receiver, redis_url, seed["secret"], args.deliveries, threads, workdir
                )
                naive_rates[threads] = rate
                emit_line(
                    {"phase": "naive", "threads": threads, "deliveries_per_s": round(rate, 1)}
                )

            # (a) the engine
            env = _clean_env() | {
                "HUBWIRE_ENVIRONMENT": "production",
                "HUBWIRE_DATABASE_URL": database_url,
                "HUBWIRE_BROKER_URL": redis_url,
                "HUBWIRE_REDIS_PREFIX": settings.redis_prefix,
                "HUBWIRE_SECRET_KEY": settings.secret_key,
                "HUBWIRE_WEBHOOK_ALLOW_PRIVATE": "true",
                "HUBWIRE_LOG_LEVEL": "WARNING",
                **overrides,
            }
            worker_argv = hubwire_command("worker")
            outbox = Outbox(settings, seed["workspace_id"])
            with process(worker_argv, env, workdir / "worker.log") as worker:
                cpu = CpuMeter(
                    make_url(database_url).database or "",
                    {"worker": worker.pid, "receiver": receiver_process.pid},
                )
                await receiver.reset()
                await outbox.emit(20)  # warm-up: worker up, pools and connections open
                await outbox.wait_succeeded(20, 120)
                profiler = None
                if args.profile:
                    profiler = subprocess.Popen(  # noqa: ASYNC220 - py-spy runs alongside
                        [
                            _py_spy(),
                            "record",
                            "--pid",
                            str(worker.pid),
                            "--subprocesses",
                            "--format",
                            "raw",
                            "--output",
                            args.profile,
                            "--rate",
                            "100",
                            "--nonblocking",
                            "--threads",
                            "--idle",
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    await asyncio.sleep(1.0)
                # Rounds of (c) then (a), back to back: the machine's other load moves the
                # rates by up to 3x within a run, so each engine run is compared with the
                # ceiling measured just before it, and the median of those ratios counts.
                runs, ceilings, cpu_ratios, own_ratios = [], [], [], []
                warmups: list[float] = []
                for round_number in range(args.warmup_rounds + args.rounds):
                    counted = round_number >= args.warmup_rounds
                    await receiver.reset()
                    idle = cpu.sample()
                    ceiling_run, sender_cpu = await ceiling(
                        receiver.url, args.deliveries, concurrency
                    )
                    # The engine's worker is up but idle meanwhile: its CPU says how idle.
                    idle_cost = cpu.per_delivery(idle, cpu.sample(), args.deliveries)
                    emit_line(
                        {
                            "phase": "ceiling",
                            "counted": counted,
                            "deliveries_per_s": round(ceiling_run, 1),
                            "cpu_ms_per_delivery_sender": round(sender_cpu, 3),
                            "cpu_ms_per_delivery_receiver": idle_cost[
                                "cpu_ms_per_delivery_receiver"
                            ],
                            "idle_worker_cpu_ms_per_delivery": idle_cost[
                                "cpu_ms_per_delivery_worker"
                            ],
                        }
                    )
                    await receiver.reset()
                    own_run, own_cpu = await own_client(receiver.url, args.deliveries, concurrency)
                    emit_line(
                        {
                            "phase": "own_client",
                            "counted": counted,
                            "deliveries_per_s": round(own_run, 1),
                            "cpu_ms_per_delivery_sender": round(own_cpu, 3),
                        }
                    )
                    result = await engine_throughput(outbox, args.deliveries, cpu)
                    rate = result["deliveries_per_s"]
                    # Unrounded: the per-delivery figures are fractions of a millisecond.
                    worker_cpu = result["worker_cpu_s"] * 1000 / args.deliveries
                    ratio = worker_cpu / sender_cpu
                    if counted:
                        runs.append(rate)
                        ceilings.append(ceiling_run)
                        cpu_ratios.append(ratio)
                        own_ratios.append(worker_cpu / own_cpu)
                    else:
                        warmups.append(ratio)
                    emit_line(
                        {
                            "phase": "engine",
                            "counted": counted,
                            **result,
                            "deliveries_per_s": round(rate, 1),
                            "seconds": round(result["seconds"], 2),
                            "cpu_ratio": round(ratio, 3),
                            "cpu_ratio_vs_own_client": round(worker_cpu / own_cpu, 3),
                        }
                    )
                attempts, window = await outbox.attempt_window()
                engine_rate = statistics.median(runs)
                ceiling_rate = statistics.median(ceilings)
                cpu_ratio = statistics.median(cpu_ratios)

                # Steady production: the rate the engine sustains (each commit its own
                # dispatch task, so lower than (a)), then the latency at 10 % and 50 % of it.
                tick = args.tick_ms / 1000
                sustained_rate = math.nan
                tried: list[dict[str, Any]] = []
                latency = {0.1: {"p95_ms": math.nan}, 0.5: {"p95_ms": math.nan}}
                if not args.skip_latency:
                    probe = await engine_probe(
                        outbox, engine_rate * 1.25, args.probe_seconds, tick, cpu
                    )
                    emit_line({"phase": "probe", **probe})
                    candidate = probe["delivered_rate"] * 0.95
                    for _ in range(args.sustain_tries):
                        result = await engine_steady(
                            outbox, candidate, args.sustain_seconds, tick, cpu
                        )
                        tried.append(result)
                        emit_line({"phase": "steady", **result})
                        if result["kept_up"]:
                            sustained_rate = candidate
                            break
                        candidate *= 0.9
                    for share in (0.1, 0.5) if not math.isnan(sustained_rate) else ():
                        result = await engine_latency(
                            outbox,
                            receiver,
                            sustained_rate * share,
                            args.latency_seconds,
                            cpu,
                            tick,
                        )
                        latency[share] = result
                        emit_line({"phase": "latency", "share_of_sustained": share, **result})
                if profiler is not None:
                    profiler.send_signal(signal.SIGINT)
                    profiler.wait(30)
                counts = await outbox.counts()
            await outbox.db.dispose()

    best_naive = max(naive_rates.values(), default=math.nan)
    ratio_vs_naive = engine_rate / best_naive
    p95_ratio_50 = latency[0.5]["p95_ms"] / latency[0.1]["p95_ms"]
    summary.update(
        {
            "webhook_concurrency": concurrency,
            "worker_threads": settings.worker_concurrency,
            "deliveries_per_s": round(engine_rate, 1),
            "deliveries_per_s_by_round": [round(r, 1) for r in runs],
            "naive_deliveries_per_s": round(best_naive, 1),
            "naive_by_threads": {k: round(v, 1) for k, v in naive_rates.items()},
            "ceiling_deliveries_per_s": round(ceiling_rate, 1),
            "ratio_vs_naive": round(ratio_vs_naive, 2),
            "cpu_ratio": round(cpu_ratio, 3),
            "cpu_ratio_by_round": [round(r, 3) for r in cpu_ratios],
            "cpu_ratio_vs_own_client": round(statistics.median(own_ratios), 3),
            "cpu_ratio_vs_own_client_by_round": [round(r, 3) for r in own_ratios],
            "warmup_rounds_not_counted": args.warmup_rounds,
            "cpu_ratio_of_warmup_rounds": [round(r, 3) for r in warmups],
            "sustained_per_s": round(sustained_rate, 1),
            "sustained_tried": [
                {k: t[k] for k in ("rate", "kept_up", "backlog_end", "backlog_slope_per_s")}
                for t in tried
            ],
            "p95_ms_at_10pct_of_sustained": latency[0.1]["p95_ms"],
            "p95_ms_at_50pct_of_sustained": latency[0.5]["p95_ms"],
            "p95_latency_ratio_50": round(p95_ratio_50, 2),
            "attempt_rows": attempts,
            "attempt_window_s": round(window, 2),
            "final_delivery_states": counts,
            "targets_met": {
                "deliveries_per_s>=1000": engine_rate >= 1000,
                "ratio_vs_naive>=10": ratio_vs_naive >= 10,
                "cpu_ratio<=1.5": cpu_ratio <= 1.5,
                "p95_latency_ratio_50<=3": p95_ratio_50 <= 3,
            },
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "logs": str(workdir),
        }
    )
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds of ceiling then engine throughput (the medians count)",
    )
    parser.add_argument(
        "--warmup-rounds",
        type=int,
        default=1,
        help="rounds run first and left out of the figures (printed with counted: false)",
    )
    parser.add_argument(
        "--naive-concurrency",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[4, 100],
        help="Celery worker threads for the naive baseline (the best rate counts).",
    )
    parser.add_argument(
        "--skip-naive",
        action="store_true",
        help="leave the naive baseline out (quicker runs while tuning; ratio_vs_naive is NaN)",
    )
    parser.add_argument(
        "--skip-latency",
        action="store_true",
        help="leave the steady phases out (quicker runs while tuning; sustained_per_s and "
        "the p95 ratio are NaN)",
    )
    parser.add_argument(
        "--latency-seconds",
        type=float,
        default=12.0,
        help="each latency phase (10 %% and 50 %% of the sustained rate) runs this long",
    )
    parser.add_argument(
        "--probe-seconds",
        type=float,
        default=20.0,
        help="the overload probe that the search for the sustained rate starts from",
    )
    parser.add_argument(
        "--sustain-seconds",
        type=float,
        default=60.0,
        help="a rate is sustained when the queue does not grow over this long",
    )
    parser.add_argument(
        "--sustain-tries",
        type=int,
        default=4,
        help="steady runs, each 10 %% below the last, before the search gives up",
    )
    parser.add_argument(
        "--tick-ms",
        type=float,
        default=50.0,
        help="the latency phases commit their events every this many milliseconds (each "
        "commit sends one dispatch task, as a request does)",
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("HUBWIRE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("HUBWIRE_BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument(
        "--worker-env",
        action="append",
        default=[],
        metavar="HUBWIRE_X=V",
        help="extra setting for the engine's worker, e.g. HUBWIRE_WEBHOOK_BATCH_SIZE=500",
    )
    parser.add_argument(
        "--profile",
        default="",
        help="write a py-spy profile of the worker (throughput and latency phases, raw "
        "collapsed stacks per thread, idle included) to this file",
    )
    parser.add_argument("--receive", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.receive:
        receive(arguments.receive)
    else:
        emit_line(asyncio.run(main(arguments)))
