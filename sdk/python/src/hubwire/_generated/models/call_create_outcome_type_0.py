from typing import Literal

CallCreateOutcomeType0 = Literal['booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail']

CALL_CREATE_OUTCOME_TYPE_0_VALUES: set[CallCreateOutcomeType0] = { 'booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail',  }

def check_call_create_outcome_type_0(value: str) -> CallCreateOutcomeType0:
    if value in CALL_CREATE_OUTCOME_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_CREATE_OUTCOME_TYPE_0_VALUES!r}")
