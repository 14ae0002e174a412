from typing import Literal

ApiKeyWithSecretTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

API_KEY_WITH_SECRET_TIER_TYPE_0_VALUES: set[ApiKeyWithSecretTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_key_with_secret_tier_type_0(value: str) -> ApiKeyWithSecretTierType0:
    if value in API_KEY_WITH_SECRET_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_WITH_SECRET_TIER_TYPE_0_VALUES!r}")
