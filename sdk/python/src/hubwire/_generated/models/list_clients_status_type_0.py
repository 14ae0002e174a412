from typing import Literal

ListClientsStatusType0 = Literal['active', 'suspended']

LIST_CLIENTS_STATUS_TYPE_0_VALUES: set[ListClientsStatusType0] = { 'active', 'suspended',  }

def check_list_clients_status_type_0(value: str) -> ListClientsStatusType0:
    if value in LIST_CLIENTS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CLIENTS_STATUS_TYPE_0_VALUES!r}")
