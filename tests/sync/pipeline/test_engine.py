"""The delivery engine end to end: the app's embedded Celery worker fans events out and
delivers them to a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from standardwebhooks.webhooks import Webhook as Verifier

from core.container import Services
from core.database import utcnow
from core.events.models import Event
from core.events.service import emit
from core.ids import new_id
from core.webhooks.models import Delivery, DeliveryAttempt
from core.webhooks.sender import WebhookSender
from sync.pipeline import deliver_due, pipeline
from sync.pipeline.engine import DeliveryEngine
from sync.pipeline.fanout import fan_out_pending
from sync.pipeline.recorder import HeldDelivery
from sync.runtime import WorkerRuntime
from tests.conftest import Api, Tenant
from tests.core.webhooks.receiver import Receiver, eventually


async def _subscribe(
    api: Api, url: str, events: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    response = await api.post(
        "/v1/webhooks", json={"url": url, "events": events or ["lead.*"], **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _emit(services: Services, tenant: Tenant, type: str = "lead.updated", **data: Any) -> str:
    async with services.db.session() as session:
        event = emit(session, workspace_id=tenant.id, type=type, data={"id": "lead_x", **data})
        await session.flush()
        return event.id


async def _deliveries(api: Api, webhook_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/webhooks/{webhook_id}/deliveries", params={"limit": 100})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


async def _settled(api: Api, webhook_id: str, status: str, count: int = 1) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    async def check() -> bool:
        nonlocal found
        found = [d for d in await _deliveries(api, webhook_id) if d["status"] == status]
        return len(found) >= count

    await eventually(check, 20, f"{count} {status} deliveries")
    return found


async def test_a_lead_event_reaches_the_receiver_signed(api: Api, receiver: Receiver) -> None:
    hook = await _subscribe(api, receiver.url())
    other = await _subscribe(api, receiver.url("/calls"), ["call.*"])
    lead = (await api.post("/v1/leads", json={"name": "Ada"})).json()
    (request,) = await receiver.wait_for(1)
    payload = Verifier(hook["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "lead.created" and payload["data"]["id"] == lead["id"]
    assert payload["id"].startswith("evt_") and payload["version"] == "1"
    assert payload["timestamp"].endswith("Z") and payload["workspaceId"]
    assert request.headers["X-Hubwire-Event"] == "lead.created"
    assert request.headers["X-Webhook-Attempt"] == "1"
    (delivery,) = await _settled(api, hook["id"], "succeeded")
    assert request.headers["webhook-id"] == delivery["id"]
    assert delivery["attempts"] == 1 and delivery["responseCode"] == 200
    assert delivery["latencyMs"] is not None and delivery["nextAttemptAt"] is None
    health = (await api.get(f"/v1/webhooks/{hook['id']}")).json()["health"]
    assert health["successCount"] == 1 and health["successRate"] == 1.0
    assert await _deliveries(api, other["id"]) == []
    assert receiver.at("/calls") == []


async def test_an_answer_with_bytes_the_database_refuses_is_recorded_cleaned(
    api: Api, receiver: Receiver
) -> None:
    """A NUL byte (PostgreSQL's text refuses it) or invalid UTF-8 in an endpoint's answer
    must not fail the recorder's batch: the try is recorded, the bytes replaced."""
    receiver.body = b'{"ok":true}\x00\xff'
    hook = await _subscribe(api, receiver.url())
    assert (await api.post("/v1/leads", json={"name": "Nul"})).status_code == 201
    (delivery,) = await _settled(api, hook["id"], "succeeded")
    detail = (await api.get(f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}")).json()
    assert [a["responseBody"] for a in detail["attemptLog"]] == ['{"ok":true}\ufffd\ufffd']


async def test_failures_follow_the_retry_config_then_dead_letter_and_replay(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.default = (500, {})
    hook = await _subscribe(
        api,
        receiver.url(),
        retryConfig={"maxRetries": 2, "retryDelay": 0.4, "backoffMultiplier": 2},
    )
    await _emit(services, tenant)
    tries = await receiver.wait_for(3)
    (dead,) = await _settled(api, hook["id"], "dead")
    jitter = services.settings.webhook_retry_jitter
    assert tries[1].at - tries[0].at >= 0.4 * (1 - jitter) - 0.05
    assert tries[2].at - tries[1].at >= 0.8 * (1 - jitter) - 0.05
    assert [t.headers["X-Webhook-Attempt"] for t in tries] == ["1", "2", "3"]
    assert {t.headers["webhook-id"] for t in tries} == {dead["id"]}
    assert {t.body for t in tries} == {tries[0].body}
    assert dead["attempts"] == 3 and dead["responseCode"] == 500 and dead["error"] == "HTTP 500"
    detail = (await api.get(f"/v1/webhooks/{hook['id']}/deliveries/{dead['id']}")).json()
    assert [a["number"] for a in detail["attemptLog"]] == [1, 2, 3]
    assert {a["responseBody"] for a in detail["attemptLog"]} == {"ok"}
    health = (await api.get(f"/v1/webhooks/{hook['id']}")).json()["health"]
    assert health["failureCount"] == 3 and health["consecutiveFailures"] == 3
    assert health["failingSince"] is not None and health["lastError"] == "HTTP 500"
    await asyncio.sleep(1.0)  # no fourth try of its own: it is dead
    assert len(receiver.at("/hook")) == 3

    receiver.default = (200, {})
    replay = await api.post(f"/v1/webhooks/{hook['id']}/deliveries/{dead['id']}/retry")
    assert replay.status_code == 200, replay.text
    fourth = (await receiver.wait_for(4))[3]
    assert fourth.headers["webhook-id"] == dead["id"] and fourth.headers["X-Webhook-Attempt"] == "4"
    (done,) = await _settled(api, hook["id"], "succeeded")
    assert done["attempts"] == 4
    health = (await api.get(f"/v1/webhooks/{hook['id']}")).json()["health"]
    assert health["consecutiveFailures"] == 0 and health["failingSince"] is None


async def test_recover_resends_everything_dead_since_a_time(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.default = (503, {})
    hook = await _subscribe(api, receiver.url(), retryConfig={"maxRetries": 0})
    since = utcnow() - timedelta(seconds=1)
    for _ in range(3):
        await _emit(services, tenant)
    await _settled(api, hook["id"], "dead", 3)
    receiver.default = (204, {})
    response = await api.post(
        f"/v1/webhooks/{hook['id']}/recover", json={"since": since.isoformat()}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"recovered": 3}
    await _settled(api, hook["id"], "succeeded", 3)
    assert len(receiver.at("/hook")) == 6


async def test_retry_after_on_429_is_honoured(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.answer((429, {"Retry-After": "2"}))
    hook = await _subscribe(api, receiver.url(), retryConfig={"maxRetries": 3, "retryDelay": 0.2})
    await _emit(services, tenant)
    first, second = await receiver.wait_for(2)
    assert second.at - first.at >= 1.9
    (delivery,) = await _settled(api, hook["id"], "succeeded")
    assert delivery["attempts"] == 2


async def test_410_disables_the_subscription_and_says_so(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    receiver.default = (410, {})
    hook = await _subscribe(api, receiver.url(), retryConfig={"maxRetries": 5, "retryDelay": 0.2})
    watcher = await _subscribe(api, receiver.url("/watch"), ["webhook.disabled"])
    await _emit(services, tenant)
    (dead,) = await _settled(api, hook["id"], "dead")
    assert dead["attempts"] == 1 and dead["responseCode"] == 410
    state = (await api.get(f"/v1/webhooks/{hook['id']}")).json()
    assert state["active"] is False and "410" in state["disabledReason"]
    (notice,) = await receiver.wait_for(1, "/watch")
    body = Verifier(watcher["secret"]).verify(notice.body, notice.headers)
    assert body["type"] == "webhook.disabled" and body["data"]["id"] == hook["id"]
    await _emit(services, tenant)  # a disabled subscription gets nothing more
    await asyncio.sleep(1.0)
    assert len(receiver.at("/hook")) == 1
    refused = await api.post(f"/v1/webhooks/{hook['id']}/deliveries/{dead['id']}/retry")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "CONFLICT"
    reenabled = (await api.patch(f"/v1/webhooks/{hook['id']}", json={"active": True})).json()
    assert reenabled["active"] is True and reenabled["disabledReason"] is None


async def test_sustained_failure_disables_the_subscription(
    api: Api,
    services: Services,
    tenant: Tenant,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 0.0003 h ≈ 1 s without a success.
    monkeypatch.setattr(services.settings, "webhook_disable_after_hours", 0.0003)
    receiver.default = (500, {})
    hook = await _subscribe(
        api,
        receiver.url(),
        retryConfig={"maxRetries": 10, "retryDelay": 0.3, "backoffMultiplier": 1},
    )

    await _emit(services, tenant)

    async def disabled() -> bool:
        return (await api.get(f"/v1/webhooks/{hook['id']}")).json()["active"] is False

    await eventually(disabled, 20, "the subscription to be disabled")
    state = (await api.get(f"/v1/webhooks/{hook['id']}")).json()
    assert "No successful delivery" in state["disabledReason"]
    (dead,) = await _settled(api, hook["id"], "dead")
    assert 2 <= dead["attempts"] < 11


async def test_rotation_signs_with_both_secrets_during_the_overlap(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    hook = await _subscribe(api, receiver.url())
    rotated = (await api.post(f"/v1/webhooks/{hook['id']}/rotate-secret")).json()
    await _emit(services, tenant)
    (request,) = await receiver.wait_for(1)
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Verifier(hook["secret"]).verify(request.body, request.headers)
    Verifier(rotated["secret"]).verify(request.body, request.headers)


async def test_an_expired_lease_is_taken_over_and_sent_once(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    """A worker that claimed a delivery and died: nobody sends it while its lease runs,
    another worker sends it once the lease is over, and the attempt is recorded once."""
    hook = await _subscribe(api, receiver.url())
    lease_ends = utcnow() + timedelta(seconds=1.5)
    async with services.db.session() as session:
        session.add(
            Delivery(
                id="msg_orphaned_by_a_dead_worker",
                workspace_id=tenant.id,
                webhook_id=hook["id"],
                event_type="lead.updated",
                url=receiver.url(),
                payload='{"type":"lead.updated"}',
                locked_until=lease_ends,
            )
        )
    await asyncio.sleep(1.0)
    assert receiver.received == []
    (request,) = await receiver.wait_for(1)
    assert request.at >= time.monotonic() - 15
    assert utcnow() >= lease_ends
    await _settled(api, hook["id"], "succeeded")
    async with services.db.session() as session:
        count = await session.scalar(
            select(func.count()).where(
                DeliveryAttempt.delivery_id == "msg_orphaned_by_a_dead_worker"
            )
        )
    assert count == 1


async def test_fan_out_is_safe_to_run_concurrently(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    hook = await _subscribe(api, receiver.url())
    async with services.db.session() as session:
        for n in range(30):
            emit(session, workspace_id=tenant.id, type="lead.updated", data={"n": n})
    await asyncio.gather(*(fan_out_pending(services.db) for _ in range(3)))
    await _settled(api, hook["id"], "succeeded", 30)
    async with services.db.session() as session:
        total = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.webhook_id == hook["id"])
        )
    assert total == 30
    assert len({r.headers["webhook-id"] for r in await receiver.wait_for(30)}) == 30


async def _insert_due(
    services: Services, tenant: Tenant, webhook_id: str, url: str, n: int, tag: str = "a"
) -> set[str]:
    ids = {f"msg_{tag}_{webhook_id[-8:]}_{i:04d}" for i in range(n)}
    async with services.db.session() as session:
        for delivery_id in sorted(ids):
            session.add(
                Delivery(
                    id=delivery_id,
                    workspace_id=tenant.id,
                    webhook_id=webhook_id,
                    event_type="lead.updated",
                    url=url,
                    payload=f'{{"id":"{delivery_id}"}}',
                )
            )
    return ids


async def test_a_burst_is_pipelined_and_concurrent_loops_never_double_send(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    """Three deliver tasks at once in one worker process, beside the app's own worker:
    each runs a pipelined loop over the shared HTTP session; every delivery of the burst
    arrives once and is recorded once."""
    hook = await _subscribe(api, receiver.url())
    count = 450  # more than one claim: the window refills while earlier sends are in flight
    ids = await _insert_due(services, tenant, hook["id"], receiver.url(), count)
    rt = WorkerRuntime(services.settings, None)
    try:

        async def three_at_once(rt: WorkerRuntime) -> list[int]:
            return list(await asyncio.gather(*(deliver_due(rt) for _ in range(3))))

        sent = await asyncio.to_thread(rt.run, three_at_once)
    finally:
        await asyncio.to_thread(rt.close)
    assert sum(sent) <= count, sent  # the loops claimed disjoint rows
    received = await receiver.wait_for(count)
    await _settled(api, hook["id"], "succeeded", 100)
    got = [r.headers["webhook-id"] for r in received]
    assert set(got) == ids and len(got) == count  # the app's worker may have sent some
    async with services.db.session() as session:
        rows = (
            await session.execute(
                select(DeliveryAttempt.delivery_id, func.count())
                .where(DeliveryAttempt.delivery_id.in_(ids))
                .group_by(DeliveryAttempt.delivery_id)
            )
        ).all()
        states = (
            await session.execute(
                select(Delivery.status, Delivery.attempts, Delivery.locked_until).where(
                    Delivery.id.in_(ids)
                )
            )
        ).all()
    assert len(rows) == count and all(n == 1 for _, n in rows)
    assert {(s, a, lock) for s, a, lock in states} == {("succeeded", 1, None)}


async def test_a_subscription_gets_only_events_after_it_was_created(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    hook = await _subscribe(api, receiver.url())
    async with services.db.session() as session:
        # An event from before the subscription whose fan-out only runs now (its dispatch
        # message was lost and the sweeper found it late).
        old = emit(session, workspace_id=tenant.id, type="lead.updated", data={"id": "lead_o"})
        old.occurred_at = utcnow() - timedelta(seconds=30)
    new_event = await _emit(services, tenant)
    await fan_out_pending(services.db)
    (request,) = await receiver.wait_for(1)
    assert json.loads(request.body)["id"] == new_event
    deliveries = await _deliveries(api, hook["id"])
    assert [d["eventId"] for d in deliveries] == [new_event]


async def test_a_dispatcher_hands_its_deliveries_to_its_own_engine(
    api: Api, services: Services, tenant: Tenant, receiver: Receiver
) -> None:
    """In a worker process that runs the engine, the fan-out inserts its deliveries leased
    to that engine and passes them over after the commit: they go out without a claim."""
    hook = await _subscribe(api, receiver.url())
    rt = WorkerRuntime(services.settings, None)
    try:
        assert await asyncio.to_thread(rt.run, deliver_due) == 0  # the engine runs, idle
        engine = pipeline(rt).engine
        assert isinstance(engine, DeliveryEngine) and engine.running

        async def fan_out(rt: WorkerRuntime) -> int:
            return await pipeline(rt).fan_out()

        for _ in range(5):
            # Straight into the outbox with no dispatch task; the app's own worker may still
            # find it first on a sweep, so try again until this dispatcher got one.
            async with services.db.session() as session:
                await session.execute(
                    insert(Event),
                    [
                        {
                            "id": new_id("evt"),
                            "workspace_id": tenant.id,
                            "type": "lead.updated",
                            "data": {"id": "lead_h"},
                            "occurred_at": utcnow(),
                        }
                    ],
                )
            if await asyncio.to_thread(rt.run, fan_out) == 1:
                break
        else:
            pytest.fail("the app's worker dispatched every event first")
        (request,) = await receiver.wait_for(1)
        (delivery,) = await _settled(api, hook["id"], "succeeded")
        assert request.headers["webhook-id"] == delivery["id"]
        assert delivery["attempts"] == 1
        assert engine.taken == 1 and engine.claimed == 0 and engine.sent == 1
    finally:
        await asyncio.to_thread(rt.close)


async def test_room_freed_while_a_claim_runs_brings_the_next_claim(services: Services) -> None:
    """The recorder frees an endpoint's leases (``_endpoint_room``) while a claim is running,
    a claim its budget had cut short: the claimer claims again at once. (It used to
    overwrite that news with the claim's own "not full", and the rows waited for the next
    sweep: stalls of 5-10 s in a burst.)"""
    claims: list[int] = []
    claimed_again = asyncio.Event()

    class Engine(DeliveryEngine):
        async def _claim(self, limit: int) -> list[HeldDelivery] | None:
            claims.append(limit)
            if len(claims) == 1:
                await asyncio.sleep(0)
                self._endpoint_room()  # what the recorder does after writing a batch
            else:
                claimed_again.set()
            return []

    async def scenario(rt: WorkerRuntime) -> int:
        engine = Engine(rt, WebhookSender.from_settings(rt.settings))
        try:
            engine.wake()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(claimed_again.wait(), 30)
        finally:
            await engine.close()
        return len(claims)

    rt = WorkerRuntime(services.settings, None)
    try:
        assert await asyncio.to_thread(rt.run, scenario) == 2
    finally:
        await asyncio.to_thread(rt.close)
