from typing import Literal

OAuthAppCreateRatelimittier = Literal['basic', 'enterprise', 'premium', 'standard']

O_AUTH_APP_CREATE_RATELIMITTIER_VALUES: set[OAuthAppCreateRatelimittier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_o_auth_app_create_ratelimittier(value: str) -> OAuthAppCreateRatelimittier:
    if value in O_AUTH_APP_CREATE_RATELIMITTIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_CREATE_RATELIMITTIER_VALUES!r}")
