from typing import Literal

CheckStatus = Literal['fail', 'not_configured', 'ok']

CHECK_STATUS_VALUES: set[CheckStatus] = { 'fail', 'not_configured', 'ok',  }

def check_check_status(value: str) -> CheckStatus:
    if value in CHECK_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHECK_STATUS_VALUES!r}")
