from typing import Literal

OAuthAppOutRatelimittier = Literal['basic', 'enterprise', 'premium', 'standard']

O_AUTH_APP_OUT_RATELIMITTIER_VALUES: set[OAuthAppOutRatelimittier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_o_auth_app_out_ratelimittier(value: str) -> OAuthAppOutRatelimittier:
    if value in O_AUTH_APP_OUT_RATELIMITTIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_OUT_RATELIMITTIER_VALUES!r}")
