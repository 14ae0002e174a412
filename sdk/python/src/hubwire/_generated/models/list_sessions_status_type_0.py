from typing import Literal

ListSessionsStatusType0 = Literal['closed', 'open']

LIST_SESSIONS_STATUS_TYPE_0_VALUES: set[ListSessionsStatusType0] = { 'closed', 'open',  }

def check_list_sessions_status_type_0(value: str) -> ListSessionsStatusType0:
    if value in LIST_SESSIONS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_SESSIONS_STATUS_TYPE_0_VALUES!r}")
