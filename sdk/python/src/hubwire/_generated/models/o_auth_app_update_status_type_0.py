from typing import Literal

OAuthAppUpdateStatusType0 = Literal['active', 'suspended']

O_AUTH_APP_UPDATE_STATUS_TYPE_0_VALUES: set[OAuthAppUpdateStatusType0] = { 'active', 'suspended',  }

def check_o_auth_app_update_status_type_0(value: str) -> OAuthAppUpdateStatusType0:
    if value in O_AUTH_APP_UPDATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {O_AUTH_APP_UPDATE_STATUS_TYPE_0_VALUES!r}")
