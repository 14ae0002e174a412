from typing import Literal

OAuthAppCreateClienttype = Literal['confidential', 'public']

O_AUTH_APP_CREATE_CLIENTTYPE_VALUES: set[OAuthAppCreateClienttype] = { 'confidential', 'public',  }

def check_o_auth_app_create_clienttype(value: str) -> OAuthAppCreateClienttype:
    if value in O_AUTH_APP_CREATE_CLIENTTYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_CREATE_CLIENTTYPE_VALUES!r}")
