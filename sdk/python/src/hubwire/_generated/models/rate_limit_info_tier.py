from typing import Literal

RateLimitInfoTier = Literal['basic', 'enterprise', 'premium', 'standard']

RATE_LIMIT_INFO_TIER_VALUES: set[RateLimitInfoTier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_rate_limit_info_tier(value: str) -> RateLimitInfoTier:
    if value in RATE_LIMIT_INFO_TIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RATE_LIMIT_INFO_TIER_VALUES!r}")
