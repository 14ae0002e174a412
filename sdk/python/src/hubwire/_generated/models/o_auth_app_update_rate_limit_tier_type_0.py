from typing import Literal

OAuthAppUpdateRateLimitTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

O_AUTH_APP_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES: set[OAuthAppUpdateRateLimitTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_o_auth_app_update_rate_limit_tier_type_0(value: str) -> OAuthAppUpdateRateLimitTierType0:
    if value in O_AUTH_APP_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_UPDATE_RATE_LIMIT_TIER_TYPE_0_VALUES!r}")
