from typing import Literal

ListJobsStatusType0 = Literal['failed', 'queued', 'running', 'succeeded']

LIST_JOBS_STATUS_TYPE_0_VALUES: set[ListJobsStatusType0] = { 'failed', 'queued', 'running', 'succeeded',  }

def check_list_jobs_status_type_0(value: str) -> ListJobsStatusType0:
    if value in LIST_JOBS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_JOBS_STATUS_TYPE_0_VALUES!r}")
