from typing import Literal

CallUpdateOutcomeType0 = Literal['booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail']

CALL_UPDATE_OUTCOME_TYPE_0_VALUES: set[CallUpdateOutcomeType0] = { 'booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail',  }

def check_call_update_outcome_type_0(value: str) -> CallUpdateOutcomeType0:
    if value in CALL_UPDATE_OUTCOME_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALL_UPDATE_OUTCOME_TYPE_0_VALUES!r}")
