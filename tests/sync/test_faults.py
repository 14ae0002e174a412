"""Delivery survives the faults production sees: a worker killed with SIGKILL in the middle
of a run, and a broker that loses every queued message (FLUSHDB, or a redis-server restart).

Each test runs real processes against real servers: PostgreSQL, Redis, `hubwire worker`
subprocesses (the production entry point: Celery, thread pool, embedded beat running the
sweeper) and an aiohttp receiver on loopback. "Done" is read from the database; then what
the receiver got is compared with what the database says was delivered.

    /tmp/t tests/sync/test_faults.py -q -p no:randomly -s
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from aiohttp import web
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from core.crypto import new_secret_key
from core.database import Database, utcnow
from core.events.models import Event
from core.ids import new_id
from core.migrations.runner import upgrade_async
from core.settings import Settings
from core.webhooks.models import Delivery, DeliveryAttempt
from core.workspaces.service import workspaces
from tests.support.processes import WorkerProcess, wait_for
from tests.support.servers import amqp_url_or_fail, postgres_database, redis_url_or_fail
from tests.support.webhooks import subscribe_through_api

pytestmark = pytest.mark.postgres

EVENTS = 5_000
RABBITMQ_EVENTS = 1_000
# The broker-flush test runs on a Redis DB number of its own on the shared server, so its
# FLUSHDB wipes nobody else's keys.
FLUSH_DB = int(os.environ.get("HUBWIRE_TEST_FLUSH_REDIS_DB", "7"))
DONE_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the receiver ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    webhook_id: str
    body: bytes


class FaultReceiver:
    """An aiohttp server on loopback, in its own thread and loop, answering 200 to every POST
    and recording each `webhook-id` with the exact body it came with."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        self.receipts: list[Receipt] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.receipts.append(Receipt(request.headers.get("webhook-id", ""), body))
        return web.Response(status=200)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/hooks", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=1024).start()

    def __enter__(self) -> FaultReceiver:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *_: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def count(self) -> int:
        return len(self.receipts)


# -- processes -----------------------------------------------------------------------------


class RedisServer:
    """A private, non-persistent redis-server on a free port, killed and restarted on the
    same port: a broker restart that loses every queued and unacknowledged message."""

    def __init__(self, log: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("redis-server is not installed: CI must run the broker-restart test")
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 10
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


# -- the stack -------------------------------------------------------------------------------


@dataclass
class Stack:
    """A temporary database with one workspace and one `lead.*` subscription pointing at
    the receiver, and the environment of its worker processes."""

    database_url: str
    broker_url: str
    redis_prefix: str
    secret_key: str
    workspace_id: str
    webhook_id: str
    receiver: FaultReceiver
    db: Database
    logs: Path
    workers: list[WorkerProcess] = field(default_factory=list)
    restarts: int = 0

    def worker_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUBWIRE_")}
        env.update(
            HUBWIRE_ENVIRONMENT="test",
            HUBWIRE_DATABASE_URL=self.database_url,
            HUBWIRE_BROKER_URL=self.broker_url,
            HUBWIRE_REDIS_PREFIX=self.redis_prefix,
            HUBWIRE_SECRET_KEY=self.secret_key,
            HUBWIRE_WEBHOOK_ALLOW_PRIVATE="true",
            HUBWIRE_SWEEPER_INTERVAL_SECONDS="0.5",
            HUBWIRE_WEBHOOK_LEASE_SECONDS="2",
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

    def supervise(self) -> int:
        """Restarts the latest worker if it exited, as systemd's ``Restart=always`` or a
        Kubernetes pod would; returns how many restarts that took so far. Celery's Redis
        transport can exit a worker while reconnecting to a restarted broker
        ("Unrecoverable error" in kombu's ``restore_unacked``); the database holds the work,
        so a restarted worker picks it up."""
        if self.workers and not self.workers[-1].alive():
            self.start_worker()
            self.restarts += 1
        return self.restarts

    async def insert_events(self, count: int, batch: int = 1000) -> list[str]:
        """Commits ``count`` `lead.created` events to the outbox and sends nothing to the
        broker: only the sweeper can find them."""
        ids: list[str] = []
        for start in range(0, count, batch):
            rows = []
            for n in range(start, min(count, start + batch)):
                event_id = new_id("evt")
                ids.append(event_id)
                rows.append(
                    {
                        "id": event_id,
                        "workspace_id": self.workspace_id,
                        "type": "lead.created",
                        "version": "1",
                        "data": {"id": f"lead_{n}", "name": f"Lead {n}", "status": "new"},
                        "occurred_at": utcnow(),
                    }
                )
            async with self.db.session() as session:
                await session.execute(insert(Event), rows)
        return ids

    async def status_counts(self) -> dict[str, int]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
            return {status: count for status, count in rows.all()}

    async def all_succeeded(self, expected: int) -> bool:
        return (await self.status_counts()).get("succeeded", 0) == expected

    async def deliveries(self) -> dict[str, tuple[str | None, str, int]]:
        """delivery id -> (event id, status, attempts column)."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(Delivery.id, Delivery.event_id, Delivery.status, Delivery.attempts)
            )
            return {r[0]: (r[1], r[2], r[3]) for r in rows.all()}

    async def attempts(self) -> dict[str, list[tuple[int, int | None]]]:
        """delivery id -> [(number, status code)], in order."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    DeliveryAttempt.delivery_id,
                    DeliveryAttempt.number,
                    DeliveryAttempt.status_code,
                ).order_by(DeliveryAttempt.delivery_id, DeliveryAttempt.number)
            )
            found: dict[str, list[tuple[int, int | None]]] = {}
            for delivery_id, number, code in rows.all():
                found.setdefault(delivery_id, []).append((number, code))
            return found


@contextlib.asynccontextmanager
async def open_stack(broker_url: str, logs: Path) -> AsyncIterator[Stack]:
    async with postgres_database() as database_url:
        await upgrade_async(database_url)
        db = Database(database_url)
        secret_key = new_secret_key()
        prefix = f"hwfault:{secrets.token_hex(4)}:"
        settings = Settings(
            _env_file=None,
            environment="test",
            database_url=database_url,
            broker_url=broker_url,
            redis_prefix=prefix,
            secret_key=secret_key,
            webhook_allow_private=True,
            embedded_worker=False,
            rate_limit_enabled=False,
            usage_tracking_enabled=False,
            log_level="WARNING",
        )
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug=f"faults-{secrets.token_hex(4)}", contact_email="ops@example.com"
            )
        with FaultReceiver() as receiver:
            hook = await subscribe_through_api(settings, workspace.id, receiver.url)
            stack = Stack(
                database_url=database_url,
                broker_url=broker_url,
                redis_prefix=prefix,
                secret_key=secret_key,
                workspace_id=workspace.id,
                webhook_id=hook["id"],
                receiver=receiver,
                db=db,
                logs=logs,
            )
            try:
                yield stack
            finally:
                for worker in stack.workers:
                    worker.stop()
                await db.dispose()


# -- checks ----------------------------------------------------------------------------------


def _on_db(url: str, number: int) -> str:
    return make_url(url).set(database=str(number)).render_as_string(hide_password=False)


async def _check_delivered_exactly(stack: Stack, event_ids: list[str]) -> dict[str, int]:
    """Every event reached the receiver at least once, under its delivery's id; every
    duplicate is byte-for-byte the original (same `webhook-id`, same signed body); every
    delivery has its tries recorded, numbered 1..n, the last one a success."""
    deliveries = await stack.deliveries()
    assert len(deliveries) == len(event_ids), "one delivery per event and subscription"
    assert {event for event, _, _ in deliveries.values()} == set(event_ids)
    assert {status for _, status, _ in deliveries.values()} == {"succeeded"}

    receipts = list(stack.receiver.receipts)
    received = Counter(r.webhook_id for r in receipts)
    missing = set(deliveries) - set(received)
    unknown = set(received) - set(deliveries)
    assert not missing, f"{len(missing)} deliveries never reached the receiver"
    assert not unknown, f"the receiver got {len(unknown)} webhook-ids the database lacks"

    bodies: dict[str, bytes] = {}
    for receipt in receipts:
        first = bodies.setdefault(receipt.webhook_id, receipt.body)
        assert receipt.body == first, f"{receipt.webhook_id} was re-sent with another body"
    for delivery_id, body in bodies.items():
        assert json.loads(body)["id"] == deliveries[delivery_id][0], "body of another event"

    attempts = await stack.attempts()
    for delivery_id, (_, _, counted) in deliveries.items():
        tries = attempts.get(delivery_id, [])
        assert tries, f"{delivery_id} was delivered but no attempt is recorded"
        assert [n for n, _ in tries] == list(range(1, len(tries) + 1)), tries
        assert counted == len(tries), f"{delivery_id}: attempts={counted}, rows={len(tries)}"
        code = tries[-1][1]
        assert code is not None and 200 <= code < 300, tries
    duplicates = sum(received.values()) - len(received)
    return {
        "deliveries": len(deliveries),
        "receipts": len(receipts),
        "duplicates": duplicates,
        "duplicated_ids": sum(1 for n in received.values() if n > 1),
        "attempt_rows": sum(len(t) for t in attempts.values()),
    }


async def _broker_keys(redis: aioredis.Redis, prefix: str) -> int:
    return len(await redis.keys(f"{prefix}*"))


async def _wait_done(
    stack: Stack, expected: int, started: float, *, supervised: bool = False
) -> float:
    async def done() -> bool:
        if supervised:
            stack.supervise()
        return await stack.all_succeeded(expected)

    try:
        await wait_for(
            done,
            within=DONE_TIMEOUT,
            interval=0.25,
            what=f"{expected} succeeded deliveries",
        )
    except TimeoutError:
        counts = await stack.status_counts()
        pytest.fail(
            f"not all delivered within {DONE_TIMEOUT:.0f} s: {counts}, "
            f"receiver got {stack.receiver.count()}\n{stack.worker_logs()}"
        )
    return time.monotonic() - started


async def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    broker = redis_url_or_fail()
    async with open_stack(broker, tmp_path) as stack:
        event_ids = await stack.insert_events(EVENTS)
        started = time.monotonic()
        first = stack.start_worker()

        async def mid_run() -> bool:
            # Kill once some deliveries are recorded as succeeded and more are in flight:
            # the crash then leaves recorded, sent-but-unrecorded and unsent deliveries.
            if not first.alive():
                return True
            if stack.receiver.count() < 500:
                return False
            return (await stack.status_counts()).get("succeeded", 0) > 0

        await wait_for(mid_run, within=60, interval=0.005, what="500 receipts, some recorded")
        assert first.alive(), f"the worker died on its own:\n{first.tail()}"
        first.kill()
        at_kill = stack.receiver.count()
        counts_at_kill = await stack.status_counts()
        print(f"\nkilled worker pid {first.pid} after {at_kill} receipts; db {counts_at_kill}")
        assert at_kill < EVENTS - 500, "the worker finished before it could be killed mid-run"
        recorded_at_kill = counts_at_kill.get("succeeded", 0)
        assert recorded_at_kill < EVENTS

        stack.start_worker()
        elapsed = await _wait_done(stack, EVENTS, started)
        figures = await _check_delivered_exactly(stack, event_ids)
        # What the receiver got but the dead worker never recorded must have been sent again.
        assert figures["duplicates"] >= at_kill - recorded_at_kill, figures
        print(f"kill -9 mid-run: all {EVENTS} delivered in {elapsed:.1f} s; {figures}")


@pytest.mark.parametrize("fault", ["flushdb", "restart"])
async def test_b_broker_losing_its_messages_loses_nothing(fault: str, tmp_path: Path) -> None:
    """The events arrive as a stream while the broker loses everything, so fan-out and
    delivery of what comes after the loss depend on the sweeper re-sending the tasks."""
    server: RedisServer | None = None
    if fault == "restart":
        server = RedisServer(tmp_path / "redis.log")
        server.start()
        broker = server.url
    else:
        broker = _on_db(redis_url_or_fail(), FLUSH_DB)
    try:
        async with open_stack(broker, tmp_path) as stack:
            started = time.monotonic()
            stack.start_worker()
            event_ids: list[str] = []
            faults: list[dict[str, int]] = []
            redis = aioredis.from_url(broker)
            try:
                # 5,000 events in 20 bursts over ~4 s; the broker fails after bursts 5 and 12.
                for burst in range(20):
                    event_ids += await stack.insert_events(EVENTS // 20)
                    if burst in (5, 12):
                        # Wait until the engine is busy, so messages are queued and unacked.
                        target = len(event_ids) // 2
                        await wait_for(
                            lambda target=target: (
                                stack.supervise() >= 0 and stack.receiver.count() >= target
                            ),
                            within=60,
                            what=f"{target} receipts before the broker fault",
                        )
                        # ...and the broker holds messages (queued or unacked) to lose.
                        keys = await wait_for(
                            lambda: _broker_keys(redis, stack.redis_prefix),
                            within=10,
                            interval=0.01,
                            what="messages in the broker",
                        )
                        if server is not None:
                            server.kill()
                            await asyncio.sleep(1.0)  # down for a second: connections break
                            server.start()
                            await redis.connection_pool.disconnect()
                        else:
                            await redis.flushdb()
                        left = len(await redis.keys(f"{stack.redis_prefix}*"))
                        faults.append(
                            {"receipts": stack.receiver.count(), "keys": keys, "left": left}
                        )
                    await asyncio.sleep(0.2)
            finally:
                await redis.aclose()
            print(f"\nbroker {fault} at {faults}")
            assert all(f["keys"] > 0 for f in faults), "the broker held no messages to lose"
            elapsed = await _wait_done(stack, EVENTS, started, supervised=True)
            figures = await _check_delivered_exactly(stack, event_ids)
            print(
                f"broker {fault}: all {EVENTS} delivered in {elapsed:.1f} s; {figures}; "
                f"worker restarts by the supervisor: {stack.restarts}"
            )
    finally:
        if server is not None:
            server.kill()


async def test_rabbitmq_as_the_broker_delivers_everything(tmp_path: Path) -> None:
    """Production may use RabbitMQ instead of Redis: the same worker, the same guarantees."""
    async with open_stack(amqp_url_or_fail(), tmp_path) as stack:
        event_ids = await stack.insert_events(RABBITMQ_EVENTS)
        started = time.monotonic()
        stack.start_worker()
        elapsed = await _wait_done(stack, RABBITMQ_EVENTS, started)
        figures = await _check_delivered_exactly(stack, event_ids)
        print(f"\nRabbitMQ: all {RABBITMQ_EVENTS} delivered in {elapsed:.1f} s; {figures}")
