"""Provider rate budgets: keep a connection's calls under the provider's published limit.

A provider like HubSpot allows 100 requests per rolling 10 seconds per app and account and
answers 429 past it. Waiting for the 429 wastes a request and a round trip, and with several
workers pushing for one connection they would all run into it together. So every provider
call first takes a slot from a *sliding-window log*: when each call of the last window was
made. A call fits when fewer than ``requests`` calls are in the log; otherwise it is given
the moment the call it waits for leaves the window and sleeps until then (no polling).

- :class:`RedisBudget` keeps the log in a Redis sorted set per limit and takes a slot with
  one Lua script (check every limit and record the call atomically), using the Redis
  server's clock: every worker on every machine shares the same log. A call that has to
  wait is *booked*: recorded at once for the moment the slot frees, then sent when it
  wakes. Waiters are served in the order they asked, in one round trip each; re-asking on
  waking would cost every freed slot a round trip to Redis, plus one per waiter that woke
  for it and lost (all waiters computed the same moment), and on a busy machine that
  delay before a freed slot is used again is budget lost (docs/operations/sync.md).
- :class:`LocalBudget` is the same algorithm in process memory, for embedded mode (no
  Redis) and the CLI without Redis.

The provider timestamps a request when it *arrives*, some time after we took the slot and
before its answer comes back; requests do not all take the same time to get there, and on
a busy machine one may wait far longer than another before it is even sent. Two ways to
count a call, so that no call is closer to another in the provider's window than in ours:

- **held** (``hold``, then ``release`` when the answer is in; ``ConnectionContext.call``):
  the call is in the log from when it was sent until a window after its answer came back.
  The provider saw it in between, so this is exact whatever the travel time, at the cost
  of one round trip per call of the window.
- **sent** (``acquire``; ``ConnectionContext.before_call``): the call is logged as made
  ``margin`` seconds after the slot was taken (``SAFETY_MARGIN_SECONDS``). A request
  delayed by more than the margin can still meet a 429.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connectors.kit import (
    CallBudget,
    CallsBudget,
    CallSlot,
    HoldingBudget,
    Manifest,
    RateLimit,
    UnlimitedBudget,
)
from core.metrics.instruments import provider_call_counter

# How long a sent call is assumed to take to reach the provider (seconds); see the module
# docstring. ``Window.from_limit`` without a margin gives a short window a share of itself
# instead; the engine's ``Budgets`` does not (see there).
SAFETY_MARGIN_SECONDS = 0.15
SAFETY_MARGIN_SHARE = 0.025
# A held call whose answer never came (its worker died mid-call) counts as made this long
# after it was sent: longer than any request's timeout.
HOLD_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Window:
    """One limit as the budget enforces it: ``requests`` per ``seconds`` (the provider's
    window); a call taken with ``acquire`` is logged ``margin`` seconds late."""

    requests: int
    seconds: float
    calls: str | None = None  # None: every call; else only that kind (RateLimit.calls)
    margin: float = 0.0

    @classmethod
    def from_limit(cls, limit: RateLimit, margin: float | None = None) -> Window:
        if margin is None:
            margin = min(SAFETY_MARGIN_SECONDS, limit.window_seconds * SAFETY_MARGIN_SHARE)
        return cls(limit.requests, float(limit.window_seconds), limit.calls, margin)

    def counts(self, calls: str | None) -> bool:
        return self.calls is None or self.calls == calls


class _LocalSlot:
    def __init__(self, clock: Any, entries: list[list[float]]) -> None:
        self._clock, self._entries = clock, entries

    async def release(self) -> None:
        now = self._clock()
        for entry in self._entries:
            entry[0] = now


class LocalBudget:
    """The sliding-window log in this process (embedded mode): one list per window of
    ``[time]`` entries (``inf`` while a held call is in flight).

    Waiters queue on an asyncio lock, so they are served in order and only the head of the
    queue sleeps; it sleeps until the call that must leave the window does (a window, at
    least, for a call still in flight)."""

    def __init__(self, windows: Sequence[Window], clock: Any = time.monotonic) -> None:
        self.windows = tuple(windows)
        self._logs: tuple[list[list[float]], ...] = tuple([] for _ in self.windows)
        self.clock = clock
        self._lock = asyncio.Lock()
        self.acquired = 0

    def _wait(self, now: float, calls: str | None) -> float:
        wait = 0.0
        for window, log in zip(self.windows, self._logs, strict=True):
            if not window.counts(calls):
                continue
            log[:] = [entry for entry in log if entry[0] + window.seconds > now]
            if len(log) >= window.requests:
                # The call that must leave for one more to fit.
                blocker = sorted(entry[0] for entry in log)[len(log) - window.requests]
                leaves = window.seconds if math.isinf(blocker) else blocker + window.seconds - now
                wait = max(wait, leaves)
        return wait

    async def acquire(self) -> None:
        await self._take(None, held=False)

    async def acquire_for(self, calls: str) -> None:
        await self._take(calls, held=False)

    async def hold(self, calls: str | None = None) -> CallSlot:
        return _LocalSlot(self.clock, await self._take(calls, held=True))

    async def _take(self, calls: str | None, *, held: bool) -> list[list[float]]:
        async with self._lock:
            while True:
                now = self.clock()
                wait = self._wait(now, calls)
                if wait <= 0:
                    entries: list[list[float]] = []
                    for window, log in zip(self.windows, self._logs, strict=True):
                        if window.counts(calls):
                            entry = [math.inf if held else now + window.margin]
                            log.append(entry)
                            entries.append(entry)
                    self.acquired += 1
                    return entries
                await asyncio.sleep(wait)


# KEYS: one sorted set per window. ARGV: the call's member ("h:<id>" while a held call is in
# flight, scored HOLD later; else "s:<id>" scored at the time it counts from), the hold in
# µs, then (requests, window, margin in µs) per key. Returns {booked, µs}: booked 1, the
# call is recorded in every window and goes in µs (0: now; else when the call it waits for
# leaves the window); booked 0, a call it waits for is still in flight (when it leaves is
# unknown): ask again in µs. A booked call counts from now, as if already sent (for held
# ones, in flight), so later callers book later slots. Uses the server's clock, so workers
# with skewed clocks still share one consistent log.
_ACQUIRE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local member = ARGV[1]
local hold = tonumber(ARGV[2])
local held = string.sub(member, 1, 2) == 'h:'
local at = now
local known = true
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[3 * i])
  local window = tonumber(ARGV[3 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    -- the call that must leave for one more to fit (in-flight calls sort last)
    local blocker = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local leaves = tonumber(blocker[2]) + window
    -- still in flight: it leaves a window after its answer, so a window at least
    if string.sub(blocker[1], 1, 2) == 'h:' then
      known = false
      leaves = now + window
    end
    if leaves > at then at = leaves end
  end
end
if not known then return {0, math.max(1, math.ceil(at - now))} end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[3 * i + 1])
  local margin = tonumber(ARGV[3 * i + 2])
  local score = at + margin
  if held then score = now + hold end
  redis.call('ZADD', key, score, member)
  redis.call('PEXPIRE', key, math.ceil((at - now + window + hold) / 1000) + 1000)
end
return {1, math.ceil(at - now)}
"""

# KEYS: the call's windows. ARGV: its in-flight member, the member it becomes. The call is
# logged as made now: its answer is in.
_RELEASE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for _, key in ipairs(KEYS) do
  if redis.call('ZREM', key, ARGV[1]) == 1 then
    redis.call('ZADD', key, now, ARGV[2])
  end
end
return 0
"""


class _RedisSlot:
    def __init__(self, script: Any, keys: list[str], call_id: str) -> None:
        self._script, self._keys, self._id = script, keys, call_id

    async def release(self) -> None:
        await self._script(keys=self._keys, args=[f"h:{self._id}", f"d:{self._id}"])


class RedisBudget:
    """The sliding-window log in Redis, shared by every worker (see the module docstring)."""

    def __init__(self, redis: Any, keys: Sequence[str], windows: Sequence[Window]) -> None:
        if len(keys) != len(windows):
            raise ValueError("one key per window")
        self.keys = list(keys)
        self.windows = tuple(windows)
        self._redis = redis
        self._script = redis.register_script(_ACQUIRE_SCRIPT)
        self._release_script = redis.register_script(_RELEASE_SCRIPT)
        self.acquired = 0

    async def acquire(self) -> None:
        await self._take(None, None)

    async def acquire_for(self, calls: str) -> None:
        await self._take(calls, None)

    async def hold(self, calls: str | None = None) -> CallSlot:
        call_id = uuid.uuid4().hex
        keys = await self._take(calls, call_id)
        return _RedisSlot(self._release_script, keys, call_id)

    async def _take(self, calls: str | None, held: str | None) -> list[str]:
        keys: list[str] = []
        args: list[int] = []
        for key, window in zip(self.keys, self.windows, strict=True):
            if window.counts(calls):
                keys.append(key)
                args += [window.requests, _us(window.seconds), _us(window.margin)]
        member = f"h:{held}" if held else f"s:{uuid.uuid4().hex}"
        while True:
            booked, wait_us = await self._script(keys=keys, args=[member, _us(HOLD_SECONDS), *args])
            if not int(booked):
                await asyncio.sleep(int(wait_us) / 1_000_000)
                continue
            self.acquired += 1
            if int(wait_us) > 0:
                try:
                    await asyncio.sleep(int(wait_us) / 1_000_000)
                except BaseException:
                    # Never sent: the booked slot goes back to the others.
                    self.acquired -= 1
                    for key in keys:
                        await self._redis.zrem(key, member)
                    raise
            return keys


def _us(seconds: float) -> int:
    return int(seconds * 1_000_000)


class _Unheld:
    """The slot of a budget that only counts calls as sent: nothing to release."""

    async def release(self) -> None:
        return None


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

    async def hold(self, calls: str | None = None) -> CallSlot:
        if isinstance(self.inner, HoldingBudget):
            slot = await self.inner.hold(calls)
        elif calls is not None:
            await self.acquire_for(calls)
            return _Unheld()
        else:
            await self.acquire()
            return _Unheld()
        self.calls += 1
        self._counted.inc()
        return slot


class Budgets:
    """The process's budgets, one per connection (or per connector for ``per="app"``
    limits), made on first use and kept: every sync step of a connection in this process
    shares one, and with Redis every process shares its log."""

    # Every window gets the full margin for calls counted as sent: the 2.5 % share of a
    # short window is too little on a loaded machine (HubSpot's 5 searches a second met
    # 429s with 0.025 s; Pipedrive's 2 s window 182 per 1,000 leads with 0.05 s).
    def __init__(
        self, redis: Any | None, prefix: str, margin: float | None = SAFETY_MARGIN_SECONDS
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
