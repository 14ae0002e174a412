from typing import Literal

HealthReportStatus = Literal['degraded', 'ok']

HEALTH_REPORT_STATUS_VALUES: set[HealthReportStatus] = { 'degraded', 'ok',  }

def check_health_report_status(value: str) -> HealthReportStatus:
    if value in HEALTH_REPORT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HEALTH_REPORT_STATUS_VALUES!r}")
