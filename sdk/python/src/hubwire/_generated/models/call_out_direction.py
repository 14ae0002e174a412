from typing import Literal

CallOutDirection = Literal['inbound', 'outbound']

CALL_OUT_DIRECTION_VALUES: set[CallOutDirection] = { 'inbound', 'outbound',  }

def check_call_out_direction(value: str) -> CallOutDirection:
    if value in CALL_OUT_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_OUT_DIRECTION_VALUES!r}")
