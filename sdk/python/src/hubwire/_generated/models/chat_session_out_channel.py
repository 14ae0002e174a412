from typing import Literal

ChatSessionOutChannel = Literal['email', 'sms', 'web', 'whatsapp']

CHAT_SESSION_OUT_CHANNEL_VALUES: set[ChatSessionOutChannel] = { 'email', 'sms', 'web', 'whatsapp',  }

def check_chat_session_out_channel(value: str) -> ChatSessionOutChannel:
    if value in CHAT_SESSION_OUT_CHANNEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHAT_SESSION_OUT_CHANNEL_VALUES!r}")
