from typing import Literal

ConnectorObjectOutDirection = Literal['both', 'pull', 'push']

CONNECTOR_OBJECT_OUT_DIRECTION_VALUES: set[ConnectorObjectOutDirection] = { 'both', 'pull', 'push',  }

def check_connector_object_out_direction(value: str) -> ConnectorObjectOutDirection:
    if value in CONNECTOR_OBJECT_OUT_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTOR_OBJECT_OUT_DIRECTION_VALUES!r}")
