from typing import Literal

ListConnectionLogsLevelType0 = Literal['error', 'info', 'warning']

LIST_CONNECTION_LOGS_LEVEL_TYPE_0_VALUES: set[ListConnectionLogsLevelType0] = { 'error', 'info', 'warning',  }

def check_list_connection_logs_level_type_0(value: str) -> ListConnectionLogsLevelType0:
    if value in LIST_CONNECTION_LOGS_LEVEL_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CONNECTION_LOGS_LEVEL_TYPE_0_VALUES!r}")
