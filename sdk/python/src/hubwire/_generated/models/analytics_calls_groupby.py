from typing import Literal

AnalyticsCallsGroupby = Literal['day', 'hour']

ANALYTICS_CALLS_GROUPBY_VALUES: set[AnalyticsCallsGroupby] = { 'day', 'hour',  }

def check_analytics_calls_groupby(value: str) -> AnalyticsCallsGroupby:
    if value in ANALYTICS_CALLS_GROUPBY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ANALYTICS_CALLS_GROUPBY_VALUES!r}")
