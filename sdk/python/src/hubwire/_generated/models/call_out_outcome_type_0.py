from typing import Literal

CallOutOutcomeType0 = Literal['booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail']

CALL_OUT_OUTCOME_TYPE_0_VALUES: set[CallOutOutcomeType0] = { 'booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail',  }

def check_call_out_outcome_type_0(value: str) -> CallOutOutcomeType0:
    if value in CALL_OUT_OUTCOME_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_OUT_OUTCOME_TYPE_0_VALUES!r}")
