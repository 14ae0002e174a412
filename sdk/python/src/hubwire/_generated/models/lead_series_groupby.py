from typing import Literal

LeadSeriesGroupby = Literal['day', 'hour']

LEAD_SERIES_GROUPBY_VALUES: set[LeadSeriesGroupby] = { 'day', 'hour',  }

def check_lead_series_groupby(value: str) -> LeadSeriesGroupby:
    if value in LEAD_SERIES_GROUPBY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEAD_SERIES_GROUPBY_VALUES!r}")
