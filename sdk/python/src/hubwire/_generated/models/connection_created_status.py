from typing import Literal

ConnectionCreatedStatus = Literal['active', 'error', 'paused', 'pending']

CONNECTION_CREATED_STATUS_VALUES: set[ConnectionCreatedStatus] = { 'active', 'error', 'paused', 'pending',  }

def check_connection_created_status(value: str) -> ConnectionCreatedStatus:
    if value in CONNECTION_CREATED_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTION_CREATED_STATUS_VALUES!r}")
