from typing import Literal

ListCallsDirectionType0 = Literal['inbound', 'outbound']

LIST_CALLS_DIRECTION_TYPE_0_VALUES: set[ListCallsDirectionType0] = { 'inbound', 'outbound',  }

def check_list_calls_direction_type_0(value: str) -> ListCallsDirectionType0:
    if value in LIST_CALLS_DIRECTION_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALLS_DIRECTION_TYPE_0_VALUES!r}")
