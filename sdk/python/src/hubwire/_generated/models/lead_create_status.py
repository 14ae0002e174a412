from typing import Literal

LeadCreateStatus = Literal['contacted', 'converted', 'new', 'qualified', 'rejected']

LEAD_CREATE_STATUS_VALUES: set[LeadCreateStatus] = { 'contacted', 'converted', 'new', 'qualified', 'rejected',  }

def check_lead_create_status(value: str) -> LeadCreateStatus:
    if value in LEAD_CREATE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEAD_CREATE_STATUS_VALUES!r}")
