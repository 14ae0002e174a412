"""The provider budget: never more calls in any window than the limit allows, and the calls
that do not fit wait (without polling) instead of being refused. Counts in windows and
lower bounds on time only: a slow machine makes these tests slower, never red."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from connectors.kit import ApiKeyAuth, ConnectionContext, Manifest, RateLimit, UnlimitedBudget
from connectors.kit.sandboxes import SlidingWindowLimiter
from sync.budget import (
    SAFETY_MARGIN_SECONDS,
    Budgets,
    CountingBudget,
    LocalBudget,
    RedisBudget,
    Window,
)
from tests.support.servers import redis_url_or_fail

LIMIT = 5
WINDOW = 1  # second
CALLS = 12


# The times are taken when each caller resumes, which a loaded machine may delay after the
# slot was granted (and a booked call wakes on time while the call before it was timed
# late): limits are checked over a window a little shorter than theirs, so a late resume
# does not look like a breach, while a real one (a whole window early) still does.
LATE = 0.25


def _most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of calls that fall within one window (starting at any call)."""
    times = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


async def _acquire_all(budgets: list[Any], calls: int) -> list[float]:
    """``calls`` acquisitions spread over the budgets (workers), all asking at once."""
    times: list[float] = []

    async def one(budget: Any) -> None:
        await budget.acquire()
        times.append(time.monotonic())

    await asyncio.gather(*(one(budgets[n % len(budgets)]) for n in range(calls)))
    return times


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    import redis.asyncio as aioredis

    client = aioredis.from_url(redis_url_or_fail())
    yield client
    await client.aclose()


@pytest.fixture
def key() -> Iterator[str]:
    yield f"hwtest:budget:{secrets.token_hex(4)}"


async def test_the_local_budget_keeps_every_window_under_the_limit() -> None:
    budget = LocalBudget([Window.from_limit(RateLimit(LIMIT, WINDOW))])
    times = await _acquire_all([budget], CALLS)

    assert budget.acquired == CALLS
    assert _most_in_any_window(times, WINDOW - LATE) <= LIMIT
    # It is a limit, not a trickle: the first window is used in full at once.
    assert _most_in_any_window(times, WINDOW) == LIMIT


async def test_the_redis_budget_is_shared_by_every_worker(redis: Any, key: str) -> None:
    window = Window.from_limit(RateLimit(LIMIT, WINDOW))
    # Two workers (two budgets, two connections to Redis would be the same) on one key.
    workers = [RedisBudget(redis, [key], [window]), RedisBudget(redis, [key], [window])]
    times = await _acquire_all(workers, CALLS)

    assert sum(w.acquired for w in workers) == CALLS
    assert _most_in_any_window(times, WINDOW - LATE) <= LIMIT
    # Every call is in the log, the last window's no more than the limit (the older ones go
    # with the next call's check).
    seconds, micros = await redis.time()
    now = seconds * 1_000_000 + micros
    assert await redis.zcount(key, now - WINDOW * 1_000_000, "+inf") <= LIMIT
    assert await redis.pttl(key) > 0  # the log expires on its own


async def test_a_waiting_call_is_booked_in_one_round_trip(redis: Any, key: str) -> None:
    """Callers that do not fit are each given the moment their slot frees, in one script
    call: they do not wake together to ask again (on a busy machine every such round trip
    delays the slot's next use, and all but one of them would lose the race anyway)."""
    window = Window.from_limit(RateLimit(LIMIT, WINDOW))
    budget = RedisBudget(redis, [key], [window])
    script = budget._script
    asked = 0

    async def counted(**kwargs: Any) -> Any:
        nonlocal asked
        asked += 1
        return await script(**kwargs)

    budget._script = counted
    times = await _acquire_all([budget], CALLS)

    assert asked == CALLS
    assert _most_in_any_window(times, WINDOW - LATE) <= LIMIT


async def test_a_booked_call_that_is_cancelled_gives_its_slot_back(redis: Any, key: str) -> None:
    budget = RedisBudget(redis, [key], [Window(1, 30.0)])
    await budget.acquire()
    booked = asyncio.ensure_future(budget.acquire())
    # Booked: its entry is in the log while it sleeps until the slot frees (30 s on).
    await wait_until(lambda: redis.zcard(key), 2)
    booked.cancel()
    with pytest.raises(asyncio.CancelledError):
        await booked
    assert await redis.zcard(key) == 1
    assert budget.acquired == 1


async def wait_until(read: Any, value: int) -> None:
    deadline = time.monotonic() + 30
    while await read() != value:
        assert time.monotonic() < deadline, f"never reached {value}"
        await asyncio.sleep(0.01)


async def test_every_limit_of_a_provider_applies(redis: Any, key: str) -> None:
    """A short limit and a longer one (3 per second, 4 per 2 seconds): a call is taken
    only when it fits both."""
    windows = [Window(3, 1.0), Window(4, 2.0)]
    budget = RedisBudget(redis, [f"{key}:a", f"{key}:b"], windows)
    times = await _acquire_all([budget], 6)

    # (The 5th call has to wait for the 2-second window: the spread of the 6 shows it.)
    assert _most_in_any_window(times, 1.0 - LATE) <= 3
    assert _most_in_any_window(times, 2.0 - LATE) <= 4


@pytest.mark.parametrize("where", ["local", "redis"])
async def test_a_limit_for_one_kind_of_call_counts_only_those(where: str, key: str) -> None:
    """Every call counts against 20 per second; searches also against 3 per second: 6
    searches take two windows, while 10 other calls pass at once."""
    windows = [Window(20, 1.0), Window(3, 1.0, calls="search")]
    client: Any = None
    if where == "redis":
        import redis.asyncio as aioredis

        client = aioredis.from_url(redis_url_or_fail())
        budget: Any = RedisBudget(client, [f"{key}:all", f"{key}:search"], windows)
    else:
        budget = LocalBudget(windows)
    try:
        others: list[float] = []
        for _ in range(10):
            await budget.acquire()
            others.append(time.monotonic())
        # The search limit does not hold other calls back: they use one window in full.
        assert _most_in_any_window(others, 1.0) == 10
        searches: list[float] = []
        for _ in range(6):
            await budget.acquire_for("search")
            searches.append(time.monotonic())
        assert _most_in_any_window(searches, 1.0 - LATE) <= 3
        assert budget.acquired == 16
    finally:
        if client is not None:
            await client.aclose()


@pytest.mark.parametrize("where", ["local", "redis"])
async def test_a_held_call_counts_until_its_answer_so_a_slow_request_meets_no_429(
    where: str, key: str
) -> None:
    """A provider timestamps a request when it arrives. The first window's calls reach it
    late (as on a busy machine, or a slow network); the next calls are sent as soon as the
    budget lets them. Counted from when they were sent, the next ones would land inside
    the late ones' window; held until their answers, none is refused by the provider's own
    limiter (the sandboxes' one), whatever the delay."""
    provider = SlidingWindowLimiter(LIMIT, WINDOW, time.monotonic)
    windows = [Window.from_limit(RateLimit(LIMIT, WINDOW))]
    client: Any = None
    if where == "redis":
        import redis.asyncio as aioredis

        client = aioredis.from_url(redis_url_or_fail())
        budget: Any = RedisBudget(client, [key], windows)
    else:
        budget = LocalBudget(windows)
    # Through the connector's side of the contract, as the engine hands it over.
    connection = ConnectionContext("conn_a", "ws_a", {}, budget=CountingBudget(budget))
    refused: list[int] = []

    async def call(n: int, travel: float) -> None:
        async with connection.call():
            await asyncio.sleep(travel)
            if not provider.hit("token").allowed:
                refused.append(n)

    try:
        late = [call(n, travel=0.4) for n in range(LIMIT)]
        await asyncio.gather(*late, *(call(LIMIT + n, travel=0) for n in range(2 * LIMIT)))
        assert refused == []
        assert budget.acquired == 3 * LIMIT
    finally:
        if client is not None:
            await client.aclose()


async def test_a_held_call_still_in_flight_keeps_its_place() -> None:
    """A call whose answer has not come back holds its slot: with the window full of calls
    in flight, the next waits for them, not only for the window."""
    budget = LocalBudget([Window(2, 0.2)])
    slots = [await budget.hold(), await budget.hold()]
    waiting = asyncio.ensure_future(budget.hold())
    await asyncio.sleep(0.5)  # more than the window: only the answers free a slot
    assert not waiting.done()
    await slots[0].release()
    await asyncio.wait_for(waiting, timeout=30)
    assert budget.acquired == 3


def test_budgets_follow_the_manifest() -> None:
    def manifest(*limits: RateLimit) -> Manifest:
        return Manifest(slug="acme", title="Acme", auth=ApiKeyAuth(), rate_limits=limits)

    budgets = Budgets(None, "hw:")
    assert isinstance(budgets.for_connection("conn_a", manifest()), UnlimitedBudget)
    limited = budgets.for_connection("conn_b", manifest(RateLimit(100, 10)))
    assert isinstance(limited, LocalBudget)
    # One budget per connection per process: every step of the connection shares it.
    assert budgets.for_connection("conn_b", manifest(RateLimit(100, 10))) is limited
    assert limited.windows == (Window(100, 10, margin=SAFETY_MARGIN_SECONDS),)
    # A short window gets the same margin for calls counted as sent.
    short = budgets.for_connection("conn_d", manifest(RateLimit(40, 2)))
    assert isinstance(short, LocalBudget)
    assert short.windows == (Window(40, 2, margin=SAFETY_MARGIN_SECONDS),)

    shared = Budgets(_FakeRedis(), "hw:")
    made = shared.for_connection("conn_c", manifest(RateLimit(100, 10), RateLimit(1000, 60, "app")))
    assert isinstance(made, RedisBudget)
    assert made.keys == ["hw:budget:conn_c:100/10", "hw:budget:app:acme:1000/60"]


class _FakeRedis:
    """Enough of a Redis client to build a budget (nothing is called)."""

    def register_script(self, script: str) -> object:
        return object()
