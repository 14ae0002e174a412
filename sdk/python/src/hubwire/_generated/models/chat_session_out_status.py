from typing import Literal

ChatSessionOutStatus = Literal['closed', 'open']

CHAT_SESSION_OUT_STATUS_VALUES: set[ChatSessionOutStatus] = { 'closed', 'open',  }

def check_chat_session_out_status(value: str) -> ChatSessionOutStatus:
    if value in CHAT_SESSION_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHAT_SESSION_OUT_STATUS_VALUES!r}")
