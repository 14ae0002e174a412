from typing import Literal

OAuthAppWithSecretRatelimittier = Literal['basic', 'enterprise', 'premium', 'standard']

O_AUTH_APP_WITH_SECRET_RATELIMITTIER_VALUES: set[OAuthAppWithSecretRatelimittier] = { 'basic', 'enterprise', 'premium', 'standard',  }

def check_o_auth_app_with_secret_ratelimittier(value: str) -> OAuthAppWithSecretRatelimittier:
    if value in O_AUTH_APP_WITH_SECRET_RATELIMITTIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_WITH_SECRET_RATELIMITTIER_VALUES!r}")
