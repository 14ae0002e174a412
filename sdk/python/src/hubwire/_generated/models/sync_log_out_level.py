from typing import Literal

SyncLogOutLevel = Literal['error', 'info', 'warning']

SYNC_LOG_OUT_LEVEL_VALUES: set[SyncLogOutLevel] = { 'error', 'info', 'warning',  }

def check_sync_log_out_level(value: str) -> SyncLogOutLevel:
    if value in SYNC_LOG_OUT_LEVEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_LOG_OUT_LEVEL_VALUES!r}")
