from typing import Literal

ConnectionUpdateStatusType0 = Literal['active', 'paused']

CONNECTION_UPDATE_STATUS_TYPE_0_VALUES: set[ConnectionUpdateStatusType0] = { 'active', 'paused',  }

def check_connection_update_status_type_0(value: str) -> ConnectionUpdateStatusType0:
    if value in CONNECTION_UPDATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTION_UPDATE_STATUS_TYPE_0_VALUES!r}")
