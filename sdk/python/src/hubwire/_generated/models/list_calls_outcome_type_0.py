from typing import Literal

ListCallsOutcomeType0 = Literal['booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail']

LIST_CALLS_OUTCOME_TYPE_0_VALUES: set[ListCallsOutcomeType0] = { 'booked', 'busy', 'connected', 'failed', 'no_answer', 'voicemail',  }

def check_list_calls_outcome_type_0(value: str) -> ListCallsOutcomeType0:
    if value in LIST_CALLS_OUTCOME_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALLS_OUTCOME_TYPE_0_VALUES!r}")
