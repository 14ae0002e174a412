"""Atomic multi-window counters: in-process for embedded mode, one Redis script in production.

A request is admitted only if every window has room; then every window is incremented.
Check and increment happen in one step (a Lua script in Redis), so concurrent requests
can never be over-granted.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.ratelimit.policy import Window


@dataclass(frozen=True, slots=True)
class WindowState:
    window: Window
    count: int
    reset_at: float

    @property
    def remaining(self) -> int:
        return max(0, self.window.limit - self.count)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    states: tuple[WindowState, ...]
    now: float

    @property
    def binding(self) -> WindowState:
        """The window to report: a blocking one when denied, else the sustained window
        (minute, hour, day, …) closest to running out. The 1-second burst window is only
        reported when it is what blocks."""
        if not self.allowed:
            blocking = [s for s in self.states if s.count >= s.window.limit]
            return max(blocking, key=lambda s: s.reset_at)
        sustained = [s for s in self.states if s.window.seconds > 1] or list(self.states)
        return min(sustained, key=lambda s: (s.remaining / s.window.limit, s.reset_at))

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.binding.reset_at - self.now))

    def headers(self) -> dict[str, str]:
        state = self.binding
        seconds_left = max(0, math.ceil(state.reset_at - self.now))
        policy = ", ".join(
            f'"{s.window.name}";q={s.window.limit};w={s.window.seconds}' for s in self.states
        )
        headers = {
            "X-RateLimit-Limit": str(state.window.limit),
            "X-RateLimit-Remaining": str(state.remaining),
            "X-RateLimit-Reset": str(math.ceil(state.reset_at)),
            "RateLimit-Policy": policy,
            "RateLimit": f'"{state.window.name}";r={state.remaining};t={seconds_left}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class Limiter(Protocol):
    async def hit(self, windows: Sequence[Window]) -> Decision: ...

    async def close(self) -> None: ...


class MemoryLimiter:
    """The embedded limiter: same semantics as the Redis one, for a single process."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str, int, int], int] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    async def hit(self, windows: Sequence[Window]) -> Decision:
        now = time.time()
        with self._lock:
            if now >= self._next_prune:
                self._prune(now)
            keys = [(w.bucket, w.name, w.seconds, int(now // w.seconds)) for w in windows]
            counts = [self._counts.get(key, 0) for key in keys]
            allowed = all(c < w.limit for c, w in zip(counts, windows, strict=True))
            if allowed:
                for key in keys:
                    self._counts[key] = self._counts.get(key, 0) + 1
                counts = [c + 1 for c in counts]
        states = tuple(
            WindowState(w, c, (int(now // w.seconds) + 1) * w.seconds)
            for w, c in zip(windows, counts, strict=True)
        )
        return Decision(allowed, states, now)

    def _prune(self, now: float) -> None:
        stale = [key for key in self._counts if (key[3] + 1) * key[2] < now]
        for key in stale:
            del self._counts[key]
        self._next_prune = now + 10

    async def close(self) -> None:
        return None


# KEYS: one base key per window. ARGV: per window, its limit and length in seconds.
# Uses the Redis server clock so every API process agrees on window boundaries.
_HIT_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local n = #KEYS
local names = {}
local counts = {}
local allowed = 1
for i = 1, n do
  local seconds = tonumber(ARGV[i * 2])
  local name = KEYS[i] .. ':' .. math.floor(now / seconds)
  names[i] = name
  local count = tonumber(redis.call('GET', name) or '0')
  counts[i] = count
  if count >= tonumber(ARGV[i * 2 - 1]) then allowed = 0 end
end
if allowed == 1 then
  for i = 1, n do
    counts[i] = redis.call('INCR', names[i])
    if counts[i] == 1 then redis.call('EXPIRE', names[i], tonumber(ARGV[i * 2]) + 1) end
  end
end
return {allowed, tostring(now), counts}
"""


class RedisLimiter:
    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._script = client.register_script(_HIT_SCRIPT)

    async def hit(self, windows: Sequence[Window]) -> Decision:
        keys = [f"{self.prefix}rl:{w.bucket}:{w.name}" for w in windows]
        args: list[int] = []
        for w in windows:
            args.extend((w.limit, w.seconds))
        allowed, raw_now, counts = await self._script(keys=keys, args=args)
        now = float(raw_now)
        states = tuple(
            WindowState(w, int(c), (int(now // w.seconds) + 1) * w.seconds)
            for w, c in zip(windows, counts, strict=True)
        )
        return Decision(bool(allowed), states, now)

    async def close(self) -> None:
        await self.client.aclose()
