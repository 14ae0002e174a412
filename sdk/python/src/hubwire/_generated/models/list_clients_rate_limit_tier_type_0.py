from typing import Literal

ListClientsRateLimitTierType0 = Literal['basic', 'enterprise', 'premium', 'standard']

LIST_CLIENTS_RATE_LIMIT_TIER_TYPE_0_VALUES: set[ListClientsRateLimitTierType0] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_list_clients_rate_limit_tier_type_0(value: str) -> ListClientsRateLimitTierType0:
    if value in LIST_CLIENTS_RATE_LIMIT_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CLIENTS_RATE_LIMIT_TIER_TYPE_0_VALUES!r}")
