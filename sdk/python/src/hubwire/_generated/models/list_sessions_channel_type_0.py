from typing import Literal

ListSessionsChannelType0 = Literal['email', 'sms', 'web', 'whatsapp']

LIST_SESSIONS_CHANNEL_TYPE_0_VALUES: set[ListSessionsChannelType0] = { 'email', 'sms', 'web', 'whatsapp',  }

def check_list_sessions_channel_type_0(value: str) -> ListSessionsChannelType0:
    if value in LIST_SESSIONS_CHANNEL_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_SESSIONS_CHANNEL_TYPE_0_VALUES!r}")
