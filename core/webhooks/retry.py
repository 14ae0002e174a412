"""Retry schedule math: pure functions, so the engine and the tests share one truth."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# No single wait is longer than a day, whatever a subscription's backoff multiplies to
# (the default schedule tops out there too), and a Retry-After cannot park a delivery longer.
MAX_DELAY_SECONDS = 86_400.0
# retryConfig defaults when a subscription sets only some of the fields.
DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_DELAY = 60.0
DEFAULT_BACKOFF_MULTIPLIER = 2.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Waits (seconds) between tries after the first one, and the per-try timeout."""

    delays: tuple[float, ...]
    timeout: float

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1


def policy_for(
    retry_config: Mapping[str, Any] | None, *, schedule: Sequence[float], timeout: float
) -> RetryPolicy:
    """The subscription's ``retryConfig`` (camelCase, as stored) or the operator's schedule."""
    if not retry_config:
        return RetryPolicy(tuple(min(float(d), MAX_DELAY_SECONDS) for d in schedule), timeout)
    retries = int(retry_config.get("maxRetries", DEFAULT_MAX_RETRIES))
    first = float(retry_config.get("retryDelay", DEFAULT_RETRY_DELAY))
    multiplier = float(retry_config.get("backoffMultiplier", DEFAULT_BACKOFF_MULTIPLIER))
    delays = []
    delay = first
    for _ in range(retries):
        delays.append(min(delay, MAX_DELAY_SECONDS))
        delay = min(delay * multiplier, MAX_DELAY_SECONDS)
    own_timeout = retry_config.get("timeout")
    return RetryPolicy(tuple(delays), float(own_timeout) if own_timeout else timeout)


def next_delay(
    policy: RetryPolicy,
    attempts_made: int,
    *,
    jitter: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next try after ``attempts_made`` tries, or None when exhausted.

    Jitter spreads retries of one outage over ``±jitter`` of the wait so they do not all
    land at once; a receiver's ``Retry-After`` is a floor (we never come back sooner)."""
    index = attempts_made - 1
    if index < 0 or index >= len(policy.delays):
        return None
    base = policy.delays[index]
    spread = (rng or random).uniform(-jitter, jitter) if jitter else 0.0
    delay = max(0.0, base * (1 + spread))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_DELAY_SECONDS))
    return delay


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_success(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


def honours_retry_after(status_code: int | None) -> bool:
    return status_code in (429, 503)
