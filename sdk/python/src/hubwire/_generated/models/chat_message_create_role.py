from typing import Literal

ChatMessageCreateRole = Literal['agent', 'assistant', 'system', 'user']

CHAT_MESSAGE_CREATE_ROLE_VALUES: set[ChatMessageCreateRole] = { 'agent', 'assistant', 'system', 'user',  }

def check_chat_message_create_role(value: str) -> ChatMessageCreateRole:
    if value in CHAT_MESSAGE_CREATE_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHAT_MESSAGE_CREATE_ROLE_VALUES!r}")
