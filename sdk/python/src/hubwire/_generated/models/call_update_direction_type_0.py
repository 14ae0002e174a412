from typing import Literal

CallUpdateDirectionType0 = Literal['inbound', 'outbound']

CALL_UPDATE_DIRECTION_TYPE_0_VALUES: set[CallUpdateDirectionType0] = { 'inbound', 'outbound',  }

def check_call_update_direction_type_0(value: str) -> CallUpdateDirectionType0:
    if value in CALL_UPDATE_DIRECTION_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_UPDATE_DIRECTION_TYPE_0_VALUES!r}")
