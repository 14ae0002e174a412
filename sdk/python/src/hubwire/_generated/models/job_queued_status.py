from typing import Literal

JobQueuedStatus = Literal['failed', 'queued', 'running', 'succeeded']

JOB_QUEUED_STATUS_VALUES: set[JobQueuedStatus] = { 'failed', 'queued', 'running', 'succeeded',  }

def check_job_queued_status(value: str) -> JobQueuedStatus:
    if value in JOB_QUEUED_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {JOB_QUEUED_STATUS_VALUES!r}")
