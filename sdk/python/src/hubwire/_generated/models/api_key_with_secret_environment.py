from typing import Literal

ApiKeyWithSecretEnvironment = Literal['live', 'test']

API_KEY_WITH_SECRET_ENVIRONMENT_VALUES: set[ApiKeyWithSecretEnvironment] = { 'live', 'test',  }

def check_api_key_with_secret_environment(value: str) -> ApiKeyWithSecretEnvironment:
    if value in API_KEY_WITH_SECRET_ENVIRONMENT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_WITH_SECRET_ENVIRONMENT_VALUES!r}")
