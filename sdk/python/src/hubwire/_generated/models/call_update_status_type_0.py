from typing import Literal

CallUpdateStatusType0 = Literal['ended', 'failed', 'in_progress', 'queued']

CALL_UPDATE_STATUS_TYPE_0_VALUES: set[CallUpdateStatusType0] = { 'ended', 'failed', 'in_progress', 'queued',  }

def check_call_update_status_type_0(value: str) -> CallUpdateStatusType0:
    if value in CALL_UPDATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_UPDATE_STATUS_TYPE_0_VALUES!r}")
