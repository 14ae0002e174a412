from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.chat_message_create_channel_type_0 import ChatMessageCreateChannelType0
from ..models.chat_message_create_channel_type_0 import check_chat_message_create_channel_type_0
from ..models.chat_message_create_role import ChatMessageCreateRole
from ..models.chat_message_create_role import check_chat_message_create_role
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.chat_message_create_metadata import ChatMessageCreateMetadata





T = TypeVar("T", bound="ChatMessageCreate")



@_attrs_define
class ChatMessageCreate:
    """ 
        Attributes:
            content (str):
            session_id (None | str | Unset): Omit to start a new session.
            lead_id (None | str | Unset): The lead a new session is linked to.
            channel (ChatMessageCreateChannelType0 | None | Unset): The channel of a new session (default `web`).
            role (ChatMessageCreateRole | Unset):  Default: 'user'.
            metadata (ChatMessageCreateMetadata | Unset):
     """

    content: str
    session_id: None | str | Unset = UNSET
    lead_id: None | str | Unset = UNSET
    channel: ChatMessageCreateChannelType0 | None | Unset = UNSET
    role: ChatMessageCreateRole | Unset = 'user'
    metadata: ChatMessageCreateMetadata | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message_create_metadata import ChatMessageCreateMetadata # noqa: PLC0415
        content = self.content

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        lead_id: None | str | Unset
        if isinstance(self.lead_id, Unset):
            lead_id = UNSET
        else:
            lead_id = self.lead_id

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, str):
            channel = self.channel
        else:
            channel = self.channel

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role


        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "content": content,
        })
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if lead_id is not UNSET:
            field_dict["leadId"] = lead_id
        if channel is not UNSET:
            field_dict["channel"] = channel
        if role is not UNSET:
            field_dict["role"] = role
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_message_create_metadata import ChatMessageCreateMetadata # noqa: PLC0415
        d = dict(src_dict)
        content = d.pop("content")

        def _parse_session_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        session_id = _parse_session_id(d.pop("sessionId", UNSET))


        def _parse_lead_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lead_id = _parse_lead_id(d.pop("leadId", UNSET))


        def _parse_channel(data: object) -> ChatMessageCreateChannelType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = check_chat_message_create_channel_type_0(data)



                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatMessageCreateChannelType0 | None | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))


        _role = d.pop("role", UNSET)
        role: ChatMessageCreateRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = check_chat_message_create_role(_role)




        _metadata = d.pop("metadata", UNSET)
        metadata: ChatMessageCreateMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = ChatMessageCreateMetadata.from_dict(_metadata)




        chat_message_create = cls(
            content=content,
            session_id=session_id,
            lead_id=lead_id,
            channel=channel,
            role=role,
            metadata=metadata,
        )

        return chat_message_create

