"""Rate-limit tiers (seed 001) and the windows a request is counted against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["basic", "standard", "premium", "enterprise"]
TIERS: tuple[Tier, ...] = ("basic", "standard", "premium", "enterprise")


@dataclass(frozen=True, slots=True)
class TierLimits:
    per_minute: int
    per_hour: int
    per_day: int
    burst: int


TIER_LIMITS: dict[str, TierLimits] = {
    "basic": TierLimits(per_minute=60, per_hour=1_000, per_day=10_000, burst=10),
    "standard": TierLimits(per_minute=120, per_hour=5_000, per_day=50_000, burst=20),
    "premium": TierLimits(per_minute=300, per_hour=15_000, per_day=150_000, burst=50),
    "enterprise": TierLimits(per_minute=600, per_hour=50_000, per_day=500_000, burst=100),
}


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``limit`` requests per fixed, clock-aligned window of ``seconds``."""

    name: str
    seconds: int
    limit: int
    bucket: str


@dataclass(frozen=True, slots=True)
class EndpointClass:
    """Routes that cost more or guard credentials get an extra, tighter window."""

    name: str
    per_minute: int
    per_ip: bool = False


CREDENTIALS = EndpointClass("credentials", per_minute=10)
ANALYTICS = EndpointClass("analytics", per_minute=30)
# Failed authentication, counted per client IP so keys cannot be guessed at speed.
AUTH_FAILURES = EndpointClass("auth", per_minute=30, per_ip=True)
# Password logins (seed 003: 10 per minute), counted per account and per client IP, so
# neither one address nor a spread of addresses can guess one account's password at speed.
LOGIN_PER_ACCOUNT = EndpointClass("login-account", per_minute=10)
LOGIN_PER_IP = EndpointClass("login-ip", per_minute=10, per_ip=True)


def principal_windows(bucket: str, tier: str, override_per_minute: int | None) -> list[Window]:
    limits = TIER_LIMITS.get(tier, TIER_LIMITS["basic"])
    per_minute = override_per_minute or limits.per_minute
    burst = limits.burst
    if override_per_minute:
        # An override scales the whole tier so burst, hour and day stay consistent with it.
        factor = override_per_minute / limits.per_minute
        burst = max(1, round(limits.burst * factor))
        per_hour, per_day = round(limits.per_hour * factor), round(limits.per_day * factor)
    else:
        per_hour, per_day = limits.per_hour, limits.per_day
    return [
        Window("burst", 1, burst, bucket),
        Window("minute", 60, per_minute, bucket),
        Window("hour", 3_600, max(per_hour, per_minute), bucket),
        Window("day", 86_400, max(per_day, per_minute), bucket),
    ]


def daily_limit(tier: str, override_per_minute: int | None) -> int:
    """The day window of one principal (an API key, an OAuth token) of this tier."""
    windows = principal_windows("", tier, override_per_minute)
    return next(w.limit for w in windows if w.name == "day")


def class_window(endpoint_class: EndpointClass, bucket: str) -> Window:
    return Window(
        endpoint_class.name, 60, endpoint_class.per_minute, f"{bucket}:{endpoint_class.name}"
    )
