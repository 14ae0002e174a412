"""Delivery outcomes reach /metrics once the recorder's transaction commits: a success, a
failed try that will be retried, and a dead letter (410 Gone)."""

from __future__ import annotations

from typing import Any

import httpx

from core.container import Services
from tests.conftest import Api
from tests.core.metrics.test_endpoints import Samples, scrape, value
from tests.core.webhooks.receiver import Receiver, eventually


async def _subscribe(api: Api, url: str, **extra: Any) -> dict[str, Any]:
    response = await api.post("/v1/webhooks", json={"url": url, "events": ["lead.*"], **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _settled(api: Api, webhook_id: str, statuses: set[str]) -> None:
    async def check() -> bool:
        response = await api.get(f"/v1/webhooks/{webhook_id}/deliveries")
        data = response.json()["data"]
        return bool(data) and all(d["status"] in statuses for d in data)

    await eventually(check, 20, f"deliveries {statuses}")


def _delta(after: Samples, before: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def test_delivery_outcomes_and_their_latency_are_counted(
    api: Api, http: httpx.AsyncClient, receiver: Receiver, services: Services
) -> None:
    before = await scrape(http)
    ok = await _subscribe(api, receiver.url("/ok"))
    await api.post("/v1/leads", json={"name": "Ada"})
    await _settled(api, ok["id"], {"succeeded"})
    await api.delete(f"/v1/webhooks/{ok['id']}")

    receiver.default = (410, {})
    gone = await _subscribe(api, receiver.url("/gone"))
    await api.post("/v1/leads", json={"name": "Babbage"})
    await _settled(api, gone["id"], {"dead"})
    after = await scrape(http)

    # Other tests' deliveries may land meanwhile (the counters are the process's): at least.
    assert _delta(after, before, "hubwire_webhook_deliveries_total", outcome="succeeded") >= 1
    assert _delta(after, before, "hubwire_webhook_deliveries_total", outcome="dead") >= 1
    sent = _delta(after, before, "hubwire_webhook_delivery_duration_seconds_count")
    assert sent >= 2
    assert (
        _delta(after, before, "hubwire_webhook_delivery_duration_seconds_bucket", le="+Inf") == sent
    )


async def test_a_failed_try_counts_as_retrying(
    api: Api, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.answer(500)  # then 200 (the default): the retry succeeds
    hook = await _subscribe(
        api, receiver.url("/flaky"), retryConfig={"maxRetries": 3, "retryDelay": 0.2}
    )
    before = await scrape(http)
    await api.post("/v1/leads", json={"name": "Lovelace"})
    await receiver.wait_for(1, "/flaky")

    async def retried() -> bool:
        after = await scrape(http)
        return _delta(after, before, "hubwire_webhook_deliveries_total", outcome="retrying") >= 1

    await eventually(retried, 20, "a retrying outcome")
    await api.delete(f"/v1/webhooks/{hook['id']}")
