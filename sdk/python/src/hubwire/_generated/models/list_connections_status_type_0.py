from typing import Literal

ListConnectionsStatusType0 = Literal['active', 'error', 'paused', 'pending']

LIST_CONNECTIONS_STATUS_TYPE_0_VALUES: set[ListConnectionsStatusType0] = { 'active', 'error', 'paused', 'pending',  }

def check_list_connections_status_type_0(value: str) -> ListConnectionsStatusType0:
    if value in LIST_CONNECTIONS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CONNECTIONS_STATUS_TYPE_0_VALUES!r}")
