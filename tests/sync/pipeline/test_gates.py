"""The engine's per-endpoint gates on their own: what they admit, park and hand back."""

from __future__ import annotations

import asyncio

from core.webhooks.retry import RetryPolicy
from sync.pipeline.gates import EndpointGates
from sync.pipeline.recorder import HeldDelivery
from sync.pipeline.repository import HOLD_FACTOR, SendingInfo

POLICY = RetryPolicy((), 1.0)


def _hook(
    webhook_id: str, concurrency: int | None = None, rate: float | None = None
) -> SendingInfo:
    return SendingInfo(
        webhook_id, "ws", "https://x.example/h", True, None, "s", None, None, concurrency, rate,
        "closed", None,
    )  # fmt: skip


def _job(webhook_id: str | None, n: int) -> HeldDelivery:
    return HeldDelivery(f"msg_{webhook_id}_{n}", webhook_id, 0, POLICY, None)


async def test_an_endpoint_at_its_concurrency_parks_and_gets_its_turn_back() -> None:
    dispatched: list[HeldDelivery] = []
    gates = EndpointGates(10, dispatched.append)
    gates.configure(_hook("wh_a", concurrency=2))
    jobs = [_job("wh_a", n) for n in range(5)]
    for job in jobs:
        gates.hold(job)
    assert [gates.admit(job) for job in jobs] == [True, True, False, False, False]
    assert gates.budget(_hook("wh_a", concurrency=2)) == 2 * HOLD_FACTOR - 5  # 5 held
    other = _job("wh_b", 0)
    gates.hold(other)
    assert gates.admit(other)  # another endpoint is not held up
    assert gates.admit(_job(None, 0))  # a job callback passes ungated
    gates.done(jobs[0])
    assert dispatched == [jobs[2]]
    assert gates.admit(jobs[2])  # admitted already: it goes straight to a sender
    assert gates.peak["wh_a"] == 2
    assert gates.shut({"wh_a"}) == jobs[3:]
    assert gates.budget(_hook("wh_a", concurrency=2)) == 2 * HOLD_FACTOR - 2


async def test_no_endpoint_gets_more_than_the_most_whatever_its_concurrency() -> None:
    gates = EndpointGates(10, lambda job: None, most=50)
    big = _hook("wh_big", concurrency=100)
    gates.configure(big)
    jobs = [_job("wh_big", n) for n in range(60)]
    for job in jobs:
        gates.hold(job)
    assert sum(gates.admit(job) for job in jobs) == 50
    assert gates.budget(big) == 50 * HOLD_FACTOR - 60  # its budget follows the lower cap
    gates.configure(_hook("wh_small", concurrency=5))
    small = [_job("wh_small", n) for n in range(6)]
    assert sum(gates.admit(job) for job in small) == 5  # below the most: its own


async def test_a_throttled_endpoint_is_paced_by_timer() -> None:
    dispatched: list[HeldDelivery] = []
    both = asyncio.Event()

    def dispatch(job: HeldDelivery) -> None:
        dispatched.append(job)
        if len(dispatched) == 2:
            both.set()

    gates = EndpointGates(10, dispatch)
    gates.configure(_hook("wh_t", rate=50))
    jobs = [_job("wh_t", n) for n in range(3)]
    for job in jobs:
        gates.hold(job)
    assert [gates.admit(job) for job in jobs] == [True, False, False]
    gates.done(jobs[0])
    assert dispatched == []  # the slot is free, but the rate holds the next one back
    await asyncio.wait_for(both.wait(), 10)  # the throttle's timers release them, in order
    assert dispatched == jobs[1:]
