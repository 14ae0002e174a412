from typing import Literal

ClientUsageGroupby = Literal['day', 'hour']

CLIENT_USAGE_GROUPBY_VALUES: set[ClientUsageGroupby] = { 'day', 'hour',  }

def check_client_usage_groupby(value: str) -> ClientUsageGroupby:
    if value in CLIENT_USAGE_GROUPBY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CLIENT_USAGE_GROUPBY_VALUES!r}")
