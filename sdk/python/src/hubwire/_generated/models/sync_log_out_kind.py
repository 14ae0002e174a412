from typing import Literal

SyncLogOutKind = Literal['auth', 'pull', 'push', 'test', 'webhook']

SYNC_LOG_OUT_KIND_VALUES: set[SyncLogOutKind] = { 'auth', 'pull', 'push', 'test', 'webhook',  }

def check_sync_log_out_kind(value: str) -> SyncLogOutKind:
    if value in SYNC_LOG_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_LOG_OUT_KIND_VALUES!r}")
