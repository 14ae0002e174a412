from typing import Literal

ApiClientCreateRatelimittier = Literal['basic', 'enterprise', 'premium', 'standard']

API_CLIENT_CREATE_RATELIMITTIER_VALUES: set[ApiClientCreateRatelimittier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_client_create_ratelimittier(value: str) -> ApiClientCreateRatelimittier:
    if value in API_CLIENT_CREATE_RATELIMITTIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_CLIENT_CREATE_RATELIMITTIER_VALUES!r}")
