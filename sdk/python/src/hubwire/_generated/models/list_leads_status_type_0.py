from typing import Literal

ListLeadsStatusType0 = Literal['contacted', 'converted', 'new', 'qualified', 'rejected']

LIST_LEADS_STATUS_TYPE_0_VALUES: set[ListLeadsStatusType0] = { 'contacted', 'converted', 'new', 'qualified', 'rejected',  }

def check_list_leads_status_type_0(value: str) -> ListLeadsStatusType0:
    if value in LIST_LEADS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_LEADS_STATUS_TYPE_0_VALUES!r}")
