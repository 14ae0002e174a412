from typing import Literal

AnalyticsLeadsGroupby = Literal['day', 'hour']

ANALYTICS_LEADS_GROUPBY_VALUES: set[AnalyticsLeadsGroupby] = { 'day', 'hour',  }

def check_analytics_leads_groupby(value: str) -> AnalyticsLeadsGroupby:
    if value in ANALYTICS_LEADS_GROUPBY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ANALYTICS_LEADS_GROUPBY_VALUES!r}")
