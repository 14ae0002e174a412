from typing import Literal

ListJobsTypeType0 = Literal['call.analysis', 'connection.sync']

LIST_JOBS_TYPE_TYPE_0_VALUES: set[ListJobsTypeType0] = { 'call.analysis', 'connection.sync',  }

def check_list_jobs_type_type_0(value: str) -> ListJobsTypeType0:
    if value in LIST_JOBS_TYPE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_JOBS_TYPE_TYPE_0_VALUES!r}")
