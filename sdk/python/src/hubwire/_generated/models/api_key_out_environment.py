from typing import Literal

ApiKeyOutEnvironment = Literal['live', 'test']

API_KEY_OUT_ENVIRONMENT_VALUES: set[ApiKeyOutEnvironment] = { 'live', 'test',  }

def check_api_key_out_environment(value: str) -> ApiKeyOutEnvironment:
    if value in API_KEY_OUT_ENVIRONMENT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_OUT_ENVIRONMENT_VALUES!r}")
