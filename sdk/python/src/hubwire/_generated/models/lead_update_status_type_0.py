from typing import Literal

LeadUpdateStatusType0 = Literal['contacted', 'converted', 'new', 'qualified', 'rejected']

LEAD_UPDATE_STATUS_TYPE_0_VALUES: set[LeadUpdateStatusType0] = { 'contacted', 'converted', 'new', 'qualified', 'rejected',  }

def check_lead_update_status_type_0(value: str) -> LeadUpdateStatusType0:
    if value in LEAD_UPDATE_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEAD_UPDATE_STATUS_TYPE_0_VALUES!r}")
