from typing import Literal

ApiClientOutRatelimittier = Literal['basic', 'enterprise', 'premium', 'standard']

API_CLIENT_OUT_RATELIMITTIER_VALUES: set[ApiClientOutRatelimittier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_api_client_out_ratelimittier(value: str) -> ApiClientOutRatelimittier:
    if value in API_CLIENT_OUT_RATELIMITTIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_CLIENT_OUT_RATELIMITTIER_VALUES!r}")
