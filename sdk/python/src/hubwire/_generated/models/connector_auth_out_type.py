from typing import Literal

ConnectorAuthOutType = Literal['api_key', 'oauth2']

CONNECTOR_AUTH_OUT_TYPE_VALUES: set[ConnectorAuthOutType] = { 'api_key', 'oauth2',  }

def check_connector_auth_out_type(value: str) -> ConnectorAuthOutType:
    if value in CONNECTOR_AUTH_OUT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTOR_AUTH_OUT_TYPE_VALUES!r}")
