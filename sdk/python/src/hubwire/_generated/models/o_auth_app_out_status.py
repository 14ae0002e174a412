from typing import Literal

OAuthAppOutStatus = Literal['active', 'suspended']

O_AUTH_APP_OUT_STATUS_VALUES: set[OAuthAppOutStatus] = { 'active', 'suspended',  }

def check_o_auth_app_out_status(value: str) -> OAuthAppOutStatus:
    if value in O_AUTH_APP_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_OUT_STATUS_VALUES!r}")
