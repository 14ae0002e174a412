from typing import Literal

ApiClientOutStatus = Literal['active', 'suspended']

API_CLIENT_OUT_STATUS_VALUES: set[ApiClientOutStatus] = { 'active', 'suspended',  }

def check_api_client_out_status(value: str) -> ApiClientOutStatus:
    if value in API_CLIENT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_CLIENT_OUT_STATUS_VALUES!r}")
