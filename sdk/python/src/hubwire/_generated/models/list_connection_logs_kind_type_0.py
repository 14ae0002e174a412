from typing import Literal

ListConnectionLogsKindType0 = Literal['auth', 'pull', 'push', 'test', 'webhook']

LIST_CONNECTION_LOGS_KIND_TYPE_0_VALUES: set[ListConnectionLogsKindType0] = { 'auth', 'pull', 'push', 'test', 'webhook',  }

def check_list_connection_logs_kind_type_0(value: str) -> ListConnectionLogsKindType0:
    if value in LIST_CONNECTION_LOGS_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CONNECTION_LOGS_KIND_TYPE_0_VALUES!r}")
