from typing import Literal

ConnectionOutStatus = Literal['active', 'error', 'paused', 'pending']

CONNECTION_OUT_STATUS_VALUES: set[ConnectionOutStatus] = { 'active', 'error', 'paused', 'pending',  }

def check_connection_out_status(value: str) -> ConnectionOutStatus:
    if value in CONNECTION_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTION_OUT_STATUS_VALUES!r}")
