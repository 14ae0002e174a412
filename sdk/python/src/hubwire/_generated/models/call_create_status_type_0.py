from typing import Literal

CallCreateStatusType0 = Literal['ended', 'failed', 'in_progress', 'queued']

CALL_CREATE_STATUS_TYPE_0_VALUES: set[CallCreateStatusType0] = { 'ended', 'failed', 'in_progress', 'queued',  }

def check_call_create_status_type_0(value: str) -> CallCreateStatusType0:
    if value in CALL_CREATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_CREATE_STATUS_TYPE_0_VALUES!r}")
