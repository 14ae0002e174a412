from typing import Literal

ApiClientUpdateStatusType0 = Literal['active', 'suspended']

API_CLIENT_UPDATE_STATUS_TYPE_0_VALUES: set[ApiClientUpdateStatusType0] = { 'active', 'suspended',  }

def check_api_client_update_status_type_0(value: str) -> ApiClientUpdateStatusType0:
    if value in API_CLIENT_UPDATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_CLIENT_UPDATE_STATUS_TYPE_0_VALUES!r}")
