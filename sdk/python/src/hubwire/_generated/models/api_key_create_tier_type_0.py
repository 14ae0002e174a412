from typing import Literal

ApiKeyCreateTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

API_KEY_CREATE_TIER_TYPE_0_VALUES: set[ApiKeyCreateTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_key_create_tier_type_0(value: str) -> ApiKeyCreateTierType0:
    if value in API_KEY_CREATE_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_CREATE_TIER_TYPE_0_VALUES!r}")
