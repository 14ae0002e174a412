from typing import Literal

ChatMessageCreateChannelType0 = Literal['email', 'sms', 'web', 'whatsapp']

CHAT_MESSAGE_CREATE_CHANNEL_TYPE_0_VALUES: set[ChatMessageCreateChannelType0] = { 'email', 'sms', 'web', 'whatsapp',  }

def check_chat_message_create_channel_type_0(value: str) -> ChatMessageCreateChannelType0:
    if value in CHAT_MESSAGE_CREATE_CHANNEL_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHAT_MESSAGE_CREATE_CHANNEL_TYPE_0_VALUES!r}")
