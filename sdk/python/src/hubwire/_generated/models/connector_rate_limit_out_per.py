from typing import Literal

ConnectorRateLimitOutPer = Literal['app', 'connection']

CONNECTOR_RATE_LIMIT_OUT_PER_VALUES: set[ConnectorRateLimitOutPer] = { 'app', 'connection',  }

def check_connector_rate_limit_out_per(value: str) -> ConnectorRateLimitOutPer:
    if value in CONNECTOR_RATE_LIMIT_OUT_PER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTOR_RATE_LIMIT_OUT_PER_VALUES!r}")
