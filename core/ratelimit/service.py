"""What the rate-limit tiers are, and which limits apply to a given caller."""

from __future__ import annotations

from core.plugins.auth import Principal
from core.ratelimit.policy import TIER_LIMITS, principal_windows
from core.ratelimit.schemas import CurrentLimits, RateLimitsOut, RateLimitTiers, TierLimitsOut


def _tier(name: str) -> TierLimitsOut:
    limits = TIER_LIMITS[name]
    return TierLimitsOut(
        requests_per_minute=limits.per_minute,
        requests_per_hour=limits.per_hour,
        requests_per_day=limits.per_day,
        burst=limits.burst,
    )


def effective_limits(principal: Principal) -> CurrentLimits:
    """The windows the limiter enforces for this caller (its tier, scaled by any override)."""
    windows = {
        window.name: window.limit
        for window in principal_windows("", principal.tier, principal.rate_limit_override)
    }
    return CurrentLimits(
        tier=principal.tier,
        requests_per_minute=windows["minute"],
        requests_per_hour=windows["hour"],
        requests_per_day=windows["day"],
        burst=windows["burst"],
        override=principal.rate_limit_override,
    )


def rate_limits(principal: Principal) -> RateLimitsOut:
    return RateLimitsOut(
        data=RateLimitTiers(
            basic=_tier("basic"),
            standard=_tier("standard"),
            premium=_tier("premium"),
            enterprise=_tier("enterprise"),
        ),
        current=effective_limits(principal),
    )
