from typing import Literal

ChatMessageOutRole = Literal['agent', 'assistant', 'system', 'user']

CHAT_MESSAGE_OUT_ROLE_VALUES: set[ChatMessageOutRole] = { 'agent', 'assistant', 'system', 'user',  }

def check_chat_message_out_role(value: str) -> ChatMessageOutRole:
    if value in CHAT_MESSAGE_OUT_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHAT_MESSAGE_OUT_ROLE_VALUES!r}")
