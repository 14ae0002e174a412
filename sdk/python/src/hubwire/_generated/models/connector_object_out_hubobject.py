from typing import Literal

ConnectorObjectOutHubobject = Literal['call', 'lead']

CONNECTOR_OBJECT_OUT_HUBOBJECT_VALUES: set[ConnectorObjectOutHubobject] = { 'call', 'lead',  }

def check_connector_object_out_hubobject(value: str) -> ConnectorObjectOutHubobject:
    if value in CONNECTOR_OBJECT_OUT_HUBOBJECT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTOR_OBJECT_OUT_HUBOBJECT_VALUES!r}")
