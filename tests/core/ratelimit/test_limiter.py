"""The limiter's semantics, on the in-process and the Redis backends alike."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from core.ratelimit.limiter import Limiter, MemoryLimiter, RedisLimiter
from core.ratelimit.policy import ANALYTICS, Window, principal_windows
from core.settings import Settings
from tests.conftest import Tenant
from tests.support.live_server import live_server


@pytest.fixture
async def limiter(settings: Settings) -> AsyncIterator[Limiter]:
    """The backend's limiter: in-process when embedded, Redis in the production variant."""
    if not settings.redis_url:
        yield MemoryLimiter()
        return
    import redis.asyncio as aioredis

    client = aioredis.from_url(settings.redis_url)
    yield RedisLimiter(client, f"{settings.redis_prefix}{secrets.token_hex(4)}:")
    await client.aclose()


def _bucket() -> str:
    return f"test:{secrets.token_hex(6)}"


async def _away_from_window_edge(seconds: int, margin: float = 3) -> None:
    # Fixed windows reset on the clock; keep a test's requests inside one window.
    if time.time() % seconds > seconds - margin:
        await asyncio.sleep(seconds - time.time() % seconds + 0.05)


async def test_admits_up_to_the_limit_then_reports_retry_after(limiter: Limiter) -> None:
    await _away_from_window_edge(60)
    windows = [Window("minute", 60, 3, _bucket())]
    decisions = [await limiter.hit(windows) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.binding.remaining for d in decisions[:3]] == [2, 1, 0]
    denied = decisions[-1]
    headers = denied.headers()
    assert headers["X-RateLimit-Limit"] == "3"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert headers["RateLimit-Policy"] == '"minute";q=3;w=60'
    assert headers["RateLimit"].startswith('"minute";r=0;t=')


async def test_a_refused_request_consumes_nothing(limiter: Limiter) -> None:
    await _away_from_window_edge(60)
    bucket = _bucket()
    tight = [Window("minute", 60, 100, bucket), Window("tight", 60, 1, bucket + ":t")]
    assert (await limiter.hit(tight)).allowed
    assert not (await limiter.hit(tight)).allowed
    assert not (await limiter.hit(tight)).allowed
    # Only the admitted request was counted in the wide window.
    decision = await limiter.hit([Window("minute", 60, 100, bucket)])
    assert decision.binding.count == 2


async def test_tier_windows_and_override_scale_together() -> None:
    windows = {w.name: w.limit for w in principal_windows("b", "basic", None)}
    assert windows == {"burst": 10, "minute": 60, "hour": 1_000, "day": 10_000}
    scaled = {w.name: w.limit for w in principal_windows("b", "basic", 120)}
    assert scaled == {"burst": 20, "minute": 120, "hour": 2_000, "day": 20_000}


async def test_64_concurrent_clients_never_over_grant(limiter: Limiter) -> None:
    """Each client holds its own connection (on Redis); admitted must equal the limit."""
    await _away_from_window_edge(60)
    allowance, clients, attempts = 500, 64, 20
    windows = [Window("minute", 60, allowance, _bucket())]
    if isinstance(limiter, RedisLimiter):
        import redis.asyncio as aioredis

        url = os.environ["HUBWIRE_TEST_REDIS_URL"]
        connections = [aioredis.from_url(url) for _ in range(clients)]
        limiters: list[Limiter] = [RedisLimiter(c, limiter.prefix) for c in connections]
    else:
        limiters = [limiter] * clients

    async def client(own: Limiter) -> int:
        return sum([(await own.hit(windows)).allowed for _ in range(attempts)])

    admitted = sum(await asyncio.gather(*(client(own) for own in limiters)))
    if isinstance(limiter, RedisLimiter):
        for own in limiters:
            await own.close()
    assert admitted == allowance


@pytest.mark.postgres
async def test_http_precision_on_redis_under_64_concurrent_clients(
    settings: Settings, tenant: Tenant
) -> None:
    """64 HTTP clients share one key on a live server: the analytics class allows exactly
    its per-minute quota, however the requests interleave."""
    key = await tenant.key()
    url = f"/v1/api-clients/{tenant.client_id}/dashboard"
    with live_server(settings) as base:
        # After the server is up: its start-up may take seconds on a loaded machine.
        await _away_from_window_edge(60, margin=15)

        async def client() -> list[int]:
            async with httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30
            ) as http:
                return [(await http.get(url)).status_code for _ in range(2)]

        statuses = [
            s for batch in await asyncio.gather(*(client() for _ in range(64))) for s in batch
        ]
    assert statuses.count(200) == ANALYTICS.per_minute
    assert statuses.count(429) == len(statuses) - ANALYTICS.per_minute


async def test_http_429_carries_the_headers(http: httpx.AsyncClient, tenant: Tenant) -> None:
    await _away_from_window_edge(60)
    key = await tenant.key(tier="basic", rate_limit_override=None)
    headers = {"Authorization": f"Bearer {key}"}
    # Basic allows a burst of 10 per second and 60 a minute: the 11th request within one
    # second is refused, and whatever the second boundaries do, the 61st in the minute is.
    responses = []
    for _ in range(61):
        responses.append(await http.get("/v1/leads", headers=headers))
        if responses[-1].status_code == 429:
            break
    statuses = [r.status_code for r in responses]
    assert statuses[-1] == 429 and statuses.count(200) >= 10
    ok, limited = responses[0], responses[-1]
    assert ok.headers["X-RateLimit-Limit"] == "60"
    assert ok.headers["X-RateLimit-Remaining"] == "59"
    assert ok.headers["RateLimit-Policy"].startswith('"burst";q=10;w=1, "minute";q=60;w=60')
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["X-RateLimit-Remaining"] == "0"
