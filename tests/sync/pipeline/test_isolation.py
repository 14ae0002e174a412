"""Isolation between endpoints (docs/webhooks.md, "Isolation"): a hanging or refusing
endpoint holds no more than its own concurrency, its circuit opens and closes, claims take
work in fair order, and a throttled subscription gets no more than its rate. Real receivers
on loopback; the app's embedded worker delivers. Timings are the bench's business
(bench/webhook_isolation.py): these tests assert the structure."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.container import Services
from core.database import Database, utcnow
from core.events.service import emit
from core.migrations.runner import upgrade_async
from core.settings import Settings
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.workspaces.service import workspaces
from sync.pipeline.engine import DeliveryEngine, endpoint_senders
from sync.pipeline.repository import HOLD_FACTOR, DeliveryQueueRepository
from tests.conftest import Api, Tenant
from tests.core.webhooks.receiver import Receiver, eventually, running_receiver
from tests.support.servers import postgres_database
from tests.sync.pipeline.test_engine import _deliveries, _emit, _insert_due, _subscribe


@pytest.fixture
async def hanging() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        running.delay = 3600
        yield running


def _closed_port() -> int:
    """A loopback port nobody listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def _hook(api: Api, webhook_id: str) -> dict[str, Any]:
    response = await api.get(f"/v1/webhooks/{webhook_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _event_types(api: Api, webhook_id: str) -> list[str]:
    feed = (await api.get("/v1/events", params={"type": "webhook.*", "limit": 100})).json()
    return [e["type"] for e in feed["data"] if e["data"].get("id") == webhook_id]


async def _untried(services: Services, webhook_id: str) -> int:
    async with services.db.session() as session:
        count: int = (
            await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.webhook_id == webhook_id, Delivery.attempts == 0)
            )
            or 0
        )
    return count


# 3: a small endpoint; 100: the most a subscription may ask by default, whose leases
# (HOLD_FACTOR times that: 400) take most of the engine's window (600 by default).
@pytest.mark.parametrize("concurrency", [3, 100])
async def test_a_hanging_endpoint_holds_only_its_own_slots(
    api: Api,
    services: Services,
    tenant: Tenant,
    receiver: Receiver,
    hanging: Receiver,
    concurrency: int,
) -> None:
    """Its deliveries are older than the healthy endpoint's and more than it may hold, yet
    the healthy endpoint gets all of its own while the hanging one's first requests are
    still waiting on their timeout, and the hanging one never has more than its
    maxConcurrency in flight, nor every sender (a maxConcurrency of 100 took all 100, and
    the healthy deliveries waited for the timeouts)."""
    backlog = HOLD_FACTOR * concurrency + 40
    stuck = await _subscribe(
        api,
        hanging.url(),
        maxConcurrency=concurrency,
        retryConfig={"maxRetries": 0, "timeout": 8},
    )
    healthy = await _subscribe(api, receiver.url(), ["lead.updated"])
    await _insert_due(services, tenant, stuck["id"], hanging.url(), backlog, tag="hang")
    for n in range(40):
        await _emit(services, tenant, n=n)
    await receiver.wait_for(40, deadline=30)
    assert hanging.ended == [], "the healthy deliveries waited for the hanging endpoint"
    # Its maxConcurrency, and never more than the worker's senders but a tenth.
    in_flight = min(concurrency, endpoint_senders(services.settings.webhook_concurrency))
    assert 1 <= hanging.peak <= in_flight
    assert len(hanging.received) <= in_flight  # the rest wait, leased or in the database
    assert await _untried(services, stuck["id"]) >= backlog - in_flight

    async def recorded() -> bool:
        return bool((await _hook(api, healthy["id"]))["health"]["successCount"] == 40)

    await eventually(recorded, 10, "the healthy endpoint's successes to be recorded")


@pytest.mark.parametrize(
    ("batch", "senders", "most"),
    [(200, 100, 100), (100, 100, 100), (50, 10, 100), (1000, 1000, 100), (1, 1, 1000)],
)
def test_an_endpoint_with_its_full_budget_leaves_room_for_a_claim(
    batch: int, senders: int, most: int
) -> None:
    """Whatever the settings, the room a hanging endpoint's full budget of leases leaves in
    the engine's window is enough for a claim (with a batch of 100 and a maxConcurrency of
    100 it was 100, and a claim waited for 125)."""
    settings = Settings(
        webhook_batch_size=batch,
        webhook_concurrency=senders,
        webhook_endpoint_concurrency_max=most,
    )
    engine = DeliveryEngine(SimpleNamespace(settings=settings), sender=None)  # type: ignore[arg-type]
    assert engine.window - HOLD_FACTOR * most >= engine.min_claim >= 1


async def test_a_refusing_endpoint_opens_its_circuit_and_waits_untried(
    api: Api,
    services: Services,
    tenant: Tenant,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.settings, "webhook_circuit_failures", 3)
    monkeypatch.setattr(services.settings, "webhook_circuit_cooloff_seconds", 3600)
    refused_url = f"http://127.0.0.1:{_closed_port()}/hook"
    refused = await _subscribe(
        api, refused_url, maxConcurrency=2, retryConfig={"maxRetries": 3, "retryDelay": 0.1}
    )
    healthy = await _subscribe(api, receiver.url())
    # One commit: a burst, so at most the refusing endpoint's budget is tried before its
    # first results open the circuit. (Thirty commits trickled in while the first results
    # were being recorded, and most were tried before it opened.)
    async with services.db.session() as session:
        for n in range(30):
            emit(session, workspace_id=tenant.id, type="lead.updated", data={"id": "x", "n": n})
    await receiver.wait_for(30, deadline=30)

    async def opened() -> bool:
        return bool((await _hook(api, refused["id"]))["circuit"]["state"] == "open")

    await eventually(opened, 20, "the circuit to open")
    circuit = (await _hook(api, refused["id"]))["circuit"]
    assert "Connection failed" in circuit["reason"]
    assert circuit["probeAt"] is not None and circuit["unreachableCount"] >= 3
    await eventually(
        lambda: _has(api, refused["id"], "webhook.circuit_opened"), 10, "webhook.circuit_opened"
    )
    # Scheduled for later instead of tried: once open, nothing more goes out than was on
    # the wire (its 2 slots), though retries come due every 0.1 s meanwhile.
    tried = await _attempts(services, refused["id"])
    await asyncio.sleep(1.5)
    assert await _attempts(services, refused["id"]) <= tried + 2
    deliveries = await _deliveries(api, refused["id"])
    assert len(deliveries) == 30 and all(d["status"] == "pending" for d in deliveries)
    assert sum(1 for d in deliveries if d["attempts"] == 0) >= 15
    assert (await _hook(api, healthy["id"]))["circuit"]["state"] == "closed"


async def _attempts(services: Services, webhook_id: str) -> int:
    async with services.db.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(DeliveryAttempt)
            .join(Delivery, Delivery.id == DeliveryAttempt.delivery_id)
            .where(Delivery.webhook_id == webhook_id)
        )
    return int(count or 0)


async def _has(api: Api, webhook_id: str, event_type: str) -> bool:
    return event_type in await _event_types(api, webhook_id)


async def test_the_circuit_closes_when_a_probe_is_answered(
    api: Api,
    services: Services,
    tenant: Tenant,
    hanging: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.settings, "webhook_circuit_failures", 2)
    monkeypatch.setattr(services.settings, "webhook_circuit_cooloff_seconds", 0.5)
    hook = await _subscribe(
        api,
        hanging.url(),
        maxConcurrency=2,
        retryConfig={"maxRetries": 5, "retryDelay": 0.2, "timeout": 0.3},
    )
    for n in range(12):
        await _emit(services, tenant, n=n)

    async def state() -> str:
        return str((await _hook(api, hook["id"]))["circuit"]["state"])

    async def is_open() -> bool:
        return await state() == "open"

    await eventually(is_open, 20, "the circuit to open")
    hanging.delay = 0  # the endpoint recovers: the next probe is answered

    async def all_sent() -> bool:
        found = await _deliveries(api, hook["id"])
        return len(found) == 12 and all(d["status"] == "succeeded" for d in found)

    await eventually(all_sent, 30, "every delivery to succeed")
    assert await state() == "closed"
    types = await _event_types(api, hook["id"])
    assert types.count("webhook.circuit_opened") == 1, types
    assert types.count("webhook.circuit_closed") == 1, types
    async with services.db.session() as session:
        failed = await session.scalar(
            select(DeliveryAttempt.id)
            .join(Delivery, Delivery.id == DeliveryAttempt.delivery_id)
            .where(Delivery.webhook_id == hook["id"], DeliveryAttempt.status_code.is_(None))
            .order_by(DeliveryAttempt.id)
            .offset(11)
        )
    assert failed is None, "deliveries kept being tried while the circuit was open"


@pytest.fixture
async def own_database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A database of its own (no other test's pending deliveries in the claims)."""
    async with contextlib.AsyncExitStack() as stack:
        if backend == "embedded":
            url = f"sqlite+aiosqlite:///{tmp_path / 'fair.db'}"
        else:
            url = await stack.enter_async_context(postgres_database())
        await upgrade_async(url)
        db = Database(url)
        stack.push_async_callback(db.dispose)
        yield db


async def _endpoint(session: AsyncSession, slug: str, **limits: Any) -> tuple[str, str]:
    workspace = await workspaces.create(session, slug=slug, contact_email="ops@example.com")
    hook = Webhook(
        workspace_id=workspace.id, url=f"https://{slug}.example.com/h", secret_sealed="x", **limits
    )
    session.add(hook)
    await session.flush()
    return workspace.id, hook.id


def _rows(workspace_id: str, webhook_id: str, n: int, at: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": f"msg_{webhook_id[-6:]}_{i:05d}",
            "workspace_id": workspace_id,
            "webhook_id": webhook_id,
            "event_type": "lead.created",
            "url": "https://example.com/h",
            "payload": "{}",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": at + timedelta(milliseconds=i),
        }
        for i in range(n)
    ]


async def test_claims_take_each_endpoint_in_turn_within_its_budget(
    own_database: Database,
) -> None:
    """Workspace A's burst of 2,000 is older than workspace B's 10 deliveries; a claim of
    40 still takes all of B's (fair order, not oldest first), and of an endpoint no more
    than it may hold. An open circuit gets none, then one probe once it is due."""
    now = utcnow()
    async with own_database.session() as session:
        ws_a, burst = await _endpoint(session, "ws-a", max_concurrency=100)
        ws_b, few = await _endpoint(session, "ws-b")
        ws_c, small = await _endpoint(session, "ws-c", max_concurrency=3)
        rows = _rows(ws_a, burst, 2000, now - timedelta(minutes=10))
        rows += _rows(ws_c, small, 50, now - timedelta(minutes=9))
        rows += _rows(ws_b, few, 10, now - timedelta(minutes=1))
        await session.execute(insert(Delivery), rows)

    async def claim(limit: int, at: datetime = now) -> Counter[str | None]:
        async with own_database.session() as session:
            claimed = await DeliveryQueueRepository(session).claim_due(
                at, at + timedelta(seconds=60), limit
            )
        return Counter(row.webhook_id for row in claimed)

    # Budgets: HOLD_FACTOR times the concurrency (4: 400, 40 and 12). Rank by rank, the
    # older endpoint first within a rank: ranks 1-10 take 10 of each (B has no more),
    # ranks 11 and 12 one of A's and C's each, C is then at its budget and A takes the
    # last 6.
    assert HOLD_FACTOR == 4
    first = await claim(40)
    assert first == {few: 10, burst: 18, small: 12}, first
    second = await claim(1000)
    assert second[small] == 0 and second[few] == 0  # the 12 it may hold are leased
    assert second[burst] == 400 - 18  # the rest of its budget
    async with own_database.session() as session:
        await DeliveryQueueRepository(session).release_leases([r["id"] for r in rows])
        await session.execute(
            update(Webhook)
            .where(Webhook.id == small)
            .values(circuit_state="open", circuit_probe_at=now + timedelta(minutes=1))
        )
    assert (await claim(1000))[small] == 0  # open: nothing until the probe is due
    async with own_database.session() as session:
        await DeliveryQueueRepository(session).release_leases([r["id"] for r in rows])
    assert (await claim(1000, now + timedelta(minutes=2)))[small] == 1  # the one probe


async def test_a_throttled_subscription_gets_no_more_than_its_rate(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    hook = await _subscribe(api, receiver.url(), maxRate=10, maxConcurrency=20)
    assert hook["maxRate"] == 10 and hook["maxConcurrency"] == 20
    for n in range(35):
        await _emit(services, tenant, n=n)
    received = await receiver.wait_for(35, deadline=30)
    per_second = Counter(int(r.at) for r in received)
    assert max(per_second.values()) <= 10, per_second
    assert len({r.headers["webhook-id"] for r in received}) == 35
