from typing import Literal

ApiKeyOutTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

API_KEY_OUT_TIER_TYPE_0_VALUES: set[ApiKeyOutTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_key_out_tier_type_0(value: str) -> ApiKeyOutTierType0:
    if value in API_KEY_OUT_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_OUT_TIER_TYPE_0_VALUES!r}")
