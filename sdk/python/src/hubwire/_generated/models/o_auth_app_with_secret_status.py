from typing import Literal

OAuthAppWithSecretStatus = Literal['active', 'suspended']

O_AUTH_APP_WITH_SECRET_STATUS_VALUES: set[OAuthAppWithSecretStatus] = { 'active', 'suspended',  }

def check_o_auth_app_with_secret_status(value: str) -> OAuthAppWithSecretStatus:
    if value in O_AUTH_APP_WITH_SECRET_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_WITH_SECRET_STATUS_VALUES!r}")
