from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.chat_message_out_role import ChatMessageOutRole
from ..models.chat_message_out_role import check_chat_message_out_role
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.chat_message_out_metadata import ChatMessageOutMetadata





T = TypeVar("T", bound="ChatMessageOut")



@_attrs_define
class ChatMessageOut:
    """ 
        Attributes:
            id (str):
            session_id (str | Unset):
            role (ChatMessageOutRole | Unset):
            content (str | Unset):
            metadata (ChatMessageOutMetadata | Unset):
            created_at (datetime.datetime | Unset):
     """

    id: str
    session_id: str | Unset = UNSET
    role: ChatMessageOutRole | Unset = UNSET
    content: str | Unset = UNSET
    metadata: ChatMessageOutMetadata | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message_out_metadata import ChatMessageOutMetadata # noqa: PLC0415
        id = self.id

        session_id = self.session_id

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role


        content = self.content

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if role is not UNSET:
            field_dict["role"] = role
        if content is not UNSET:
            field_dict["content"] = content
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_message_out_metadata import ChatMessageOutMetadata # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        session_id = d.pop("sessionId", UNSET)

        _role = d.pop("role", UNSET)
        role: ChatMessageOutRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = check_chat_message_out_role(_role)




        content = d.pop("content", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: ChatMessageOutMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = ChatMessageOutMetadata.from_dict(_metadata)




        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        chat_message_out = cls(
            id=id,
            session_id=session_id,
            role=role,
            content=content,
            metadata=metadata,
            created_at=created_at,
        )


        chat_message_out.additional_properties = d
        return chat_message_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
