from typing import Literal

LeadOutStatus = Literal['contacted', 'converted', 'new', 'qualified', 'rejected']

LEAD_OUT_STATUS_VALUES: set[LeadOutStatus] = { 'contacted', 'converted', 'new', 'qualified', 'rejected',  }

def check_lead_out_status(value: str) -> LeadOutStatus:
    if value in LEAD_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEAD_OUT_STATUS_VALUES!r}")
