from typing import Literal

ApiKeyWithSecretStatus = Literal['active', 'revoked']

API_KEY_WITH_SECRET_STATUS_VALUES: set[ApiKeyWithSecretStatus] = { 'active', 'revoked',  }

def check_api_key_with_secret_status(value: str) -> ApiKeyWithSecretStatus:
    if value in API_KEY_WITH_SECRET_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_WITH_SECRET_STATUS_VALUES!r}")
