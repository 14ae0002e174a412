"""A subscription's health as recorded batch after batch (``TargetRepository.record_health``,
one prepared statement per shape of batch), read back through the API on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.container import Services
from core.database import utcnow
from sync.pipeline.repository import TargetRepository
from tests.conftest import Api
from tests.core.webhooks.receiver import Receiver


def _at(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


async def _state(api: Api, webhook_id: str) -> dict[str, Any]:
    response = await api.get(f"/v1/webhooks/{webhook_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_failure_streaks_continue_and_an_answer_resets_them(
    api: Api, services: Services, receiver: Receiver
) -> None:
    created = await api.post("/v1/webhooks", json={"url": receiver.url(), "events": ["lead.*"]})
    assert created.status_code == 201, created.text
    hook_id = created.json()["id"]
    first = utcnow().replace(microsecond=0)
    later = first + timedelta(seconds=5)

    async def record(**batch: Any) -> tuple[int, str] | None:
        async with services.db.session() as session:
            return await TargetRepository(session).record_health(hook_id, **batch)

    # Two failed tries, both answered: the streak starts.
    assert await record(
        successes=0,
        failures=2,
        trailing_failures=None,
        failing_since=first,
        last_success_at=None,
        last_failure_at=first,
        last_error="HTTP 500",
        unreachable=0,
        trailing_unreachable=0,
    ) == (0, "closed")
    # One more, unreachable, no answer in the batch: the streak and its start continue.
    assert await record(
        successes=0,
        failures=1,
        trailing_failures=None,
        failing_since=later,
        last_success_at=None,
        last_failure_at=later,
        last_error="Connection failed",
        unreachable=1,
        trailing_unreachable=None,
    ) == (1, "closed")
    health = (await _state(api, hook_id))["health"]
    assert (health["failureCount"], health["consecutiveFailures"]) == (3, 3)
    assert _at(health["failingSince"]) == first
    assert health["lastError"] == "Connection failed"
    assert health["successCount"] == 0 and health["lastSuccessAt"] is None

    # A success, then one failure: the streak restarts from that failure.
    assert await record(
        successes=1,
        failures=1,
        trailing_failures=1,
        failing_since=later,
        last_success_at=first,
        last_failure_at=later,
        last_error="HTTP 502",
        unreachable=0,
        trailing_unreachable=0,
    ) == (0, "closed")
    state = await _state(api, hook_id)
    health = state["health"]
    assert (health["successCount"], health["failureCount"]) == (1, 4)
    assert health["consecutiveFailures"] == 1
    assert _at(health["failingSince"]) == later
    assert _at(health["lastSuccessAt"]) == first
    assert health["lastError"] == "HTTP 502"
    assert state["circuit"]["unreachableCount"] == 0

    # Only successes: no streak, the last error stays what it was.
    await record(
        successes=2,
        failures=0,
        trailing_failures=0,
        failing_since=None,
        last_success_at=later,
        last_failure_at=None,
        last_error=None,
    )
    health = (await _state(api, hook_id))["health"]
    assert (health["successCount"], health["consecutiveFailures"]) == (3, 0)
    assert health["failingSince"] is None
    assert health["lastError"] == "HTTP 502"
