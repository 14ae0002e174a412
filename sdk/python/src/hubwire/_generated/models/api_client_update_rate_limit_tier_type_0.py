from typing import Literal

ApiClientUpdateRateLimitTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

API_CLIENT_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES: set[ApiClientUpdateRateLimitTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_client_update_rate_limit_tier_type_0(value: str) -> ApiClientUpdateRateLimitTierType0:
    if value in API_CLIENT_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_CLIENT_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES!r}")
