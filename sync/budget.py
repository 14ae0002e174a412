"""Provider rate budgets: keep a connection's calls under the provider's published limit.

A provider like HubSpot allows 100 requests per rolling 10 seconds per app and account and
answers 429 past it. Waiting for the 429 wastes a request and a round trip, and with several
workers pushing for one connection they would all run into it together. So every provider
call first takes a slot from a *sliding-window log*: the times of the calls made in the last
window. A call fits when fewer than ``requests`` calls were made in the last
``window_seconds``; otherwise ``acquire`` sleeps until the oldest call leaves the window
(no polling: it computes how long that is).

- :class:`RedisBudget` keeps the log in a Redis sorted set per limit and takes a slot with
  one Lua script (check every limit and record the call atomically), using the Redis
  server's clock: every worker on every machine shares the same log.
- :class:`LocalBudget` is the same algorithm in process memory, for embedded mode (no
  Redis) and the CLI without Redis.

The provider timestamps a request when it *arrives*, a little after we took the slot, and
requests do not all take the same time to get there. The window is therefore made a little
longer than the provider's (``SAFETY_MARGIN_SECONDS``): the cost is a margin's worth of
throughput per window; the gain is no 429 when one request travels faster than another.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connectors.kit import CallBudget, CallsBudget, Manifest, RateLimit, UnlimitedBudget
from core.metrics.instruments import provider_call_counter

# Added to every provider window (seconds); see the module docstring. A short window gets
# a proportional share instead (Pipedrive's 2 s: 0.05 s), so the margin does not cost it a
# large part of its throughput.
SAFETY_MARGIN_SECONDS = 0.15
SAFETY_MARGIN_SHARE = 0.025


@dataclass(frozen=True, slots=True)
class Window:
    """One limit as the budget enforces it: ``requests`` per ``seconds`` (margin included)."""

    requests: int
    seconds: float
    calls: str | None = None  # None: every call; else only that kind (RateLimit.calls)

    @classmethod
    def from_limit(cls, limit: RateLimit, margin: float | None = None) -> Window:
        if margin is None:
            margin = min(SAFETY_MARGIN_SECONDS, limit.window_seconds * SAFETY_MARGIN_SHARE)
        return cls(limit.requests, limit.window_seconds + margin, limit.calls)

    def counts(self, calls: str | None) -> bool:
        return self.calls is None or self.calls == calls


class LocalBudget:
    """The sliding-window log in this process (embedded mode): one deque per window.

    Waiters queue on an asyncio lock, so they are served in order and only the head of the
    queue sleeps; it sleeps exactly until the oldest call in a full window expires."""

    def __init__(self, windows: Sequence[Window], clock: Any = time.monotonic) -> None:
        self.windows = tuple(windows)
        self._logs: tuple[deque[float], ...] = tuple(deque() for _ in self.windows)
        self._clock = clock
        self._lock = asyncio.Lock()
        self.acquired = 0

    def _wait(self, now: float, calls: str | None) -> float:
        wait = 0.0
        for window, log in zip(self.windows, self._logs, strict=True):
            if not window.counts(calls):
                continue
            while log and log[0] <= now - window.seconds:
                log.popleft()
            if len(log) >= window.requests:
                # The call that must leave for one more to fit.
                wait = max(wait, log[len(log) - window.requests] + window.seconds - now)
        return wait

    async def acquire(self) -> None:
        await self._take(None)

    async def acquire_for(self, calls: str) -> None:
        await self._take(calls)

    async def _take(self, calls: str | None) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                wait = self._wait(now, calls)
                if wait <= 0:
                    for window, log in zip(self.windows, self._logs, strict=True):
                        if window.counts(calls):
                            log.append(now)
                    self.acquired += 1
                    return
                await asyncio.sleep(wait)


# KEYS: one sorted set per window. ARGV: a unique member, then (requests, window in µs) per
# key. Returns 0 when the call was recorded in every window, else the µs to wait. Uses the
# server's clock, so workers with skewed clocks still share one consistent log.
_ACQUIRE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, math.ceil(window / 1000) + 1000)
end
return 0
"""


class RedisBudget:
    """The sliding-window log in Redis, shared by every worker (see the module docstring)."""

    def __init__(self, redis: Any, keys: Sequence[str], windows: Sequence[Window]) -> None:
        if len(keys) != len(windows):
            raise ValueError("one key per window")
        self.keys = list(keys)
        self.windows = tuple(windows)
        self._script = redis.register_script(_ACQUIRE_SCRIPT)
        self.acquired = 0

    async def acquire(self) -> None:
        await self._take(None)

    async def acquire_for(self, calls: str) -> None:
        await self._take(calls)

    async def _take(self, calls: str | None) -> None:
        keys: list[str] = []
        args: list[int] = []
        for key, window in zip(self.keys, self.windows, strict=True):
            if window.counts(calls):
                keys.append(key)
                args += [window.requests, int(window.seconds * 1_000_000)]
        member = uuid.uuid4().hex
        while True:
            wait_us = int(await self._script(keys=keys, args=[member, *args]))
            if wait_us <= 0:
                self.acquired += 1
                return
            await asyncio.sleep(wait_us / 1_000_000)


class CountingBudget:
    """Counts the calls one sync step makes (``SyncLog.provider_calls``) on a shared budget."""

    def __init__(self, inner: CallBudget, connector: str = "") -> None:
        self.inner = inner
        self.calls = 0
        self._counted = provider_call_counter(connector or "unknown")

    async def acquire(self) -> None:
        await self.inner.acquire()
        self.calls += 1
        self._counted.inc()

    async def acquire_for(self, calls: str) -> None:
        if isinstance(self.inner, CallsBudget):
            await self.inner.acquire_for(calls)
        else:
            await self.inner.acquire()
        self.calls += 1
        self._counted.inc()


class Budgets:
    """The process's budgets, one per connection (or per connector for ``per="app"``
    limits), made on first use and kept: every sync step of a connection in this process
    shares one, and with Redis every process shares its log."""

    def __init__(
        self, redis: Any | None, prefix: str, margin: float = SAFETY_MARGIN_SECONDS
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.margin = margin
        self._made: dict[str, CallBudget] = {}

    def for_connection(self, connection_id: str, manifest: Manifest) -> CallBudget:
        existing = self._made.get(connection_id)
        if existing is not None:
            return existing
        budget = self._make(connection_id, manifest)
        self._made[connection_id] = budget
        return budget

    def _make(self, connection_id: str, manifest: Manifest) -> CallBudget:
        limits = manifest.rate_limits
        if not limits:
            return UnlimitedBudget()
        windows = [Window.from_limit(limit, self.margin) for limit in limits]
        keys = [self._key(connection_id, manifest.slug, limit) for limit in limits]
        if self.redis is not None:
            return RedisBudget(self.redis, keys, windows)
        # Without Redis there is one process: an app-wide limit is kept per connection here
        # (a deployment with several connections to one app runs with Redis).
        return LocalBudget(windows)

    def _key(self, connection_id: str, slug: str, limit: RateLimit) -> str:
        owner = f"app:{slug}" if limit.per == "app" else connection_id
        calls = f":{limit.calls}" if limit.calls else ""
        return f"{self.prefix}budget:{owner}:{limit.requests}/{limit.window_seconds}{calls}"
