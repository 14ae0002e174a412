from typing import Literal

OAuthAppWithSecretClienttype = Literal['confidential', 'public']

O_AUTH_APP_WITH_SECRET_CLIENTTYPE_VALUES: set[OAuthAppWithSecretClienttype] = { 'confidential', 'public',  }

def check_o_auth_app_with_secret_clienttype(value: str) -> OAuthAppWithSecretClienttype:
    if value in O_AUTH_APP_WITH_SECRET_CLIENTTYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_WITH_SECRET_CLIENTTYPE_VALUES!r}")
