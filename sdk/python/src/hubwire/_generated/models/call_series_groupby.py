from typing import Literal

CallSeriesGroupby = Literal['day', 'hour']

CALL_SERIES_GROUPBY_VALUES: set[CallSeriesGroupby] = { 'day', 'hour',  }

def check_call_series_groupby(value: str) -> CallSeriesGroupby:
    if value in CALL_SERIES_GROUPBY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_SERIES_GROUPBY_VALUES!r}")
