from typing import Literal

OAuthAppOutClienttype = Literal['confidential', 'public']

O_AUTH_APP_OUT_CLIENTTYPE_VALUES: set[OAuthAppOutClienttype] = { 'confidential', 'public',  }

def check_o_auth_app_out_clienttype(value: str) -> OAuthAppOutClienttype:
    if value in O_AUTH_APP_OUT_CLIENTTYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_OUT_CLIENTTYPE_VALUES!r}")
