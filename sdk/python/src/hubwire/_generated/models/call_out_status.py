from typing import Literal

CallOutStatus = Literal['ended', 'failed', 'in_progress', 'queued']

CALL_OUT_STATUS_VALUES: set[CallOutStatus] = { 'ended', 'failed', 'in_progress', 'queued',  }

def check_call_out_status(value: str) -> CallOutStatus:
    if value in CALL_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_OUT_STATUS_VALUES!r}")
