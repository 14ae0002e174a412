from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.chat_session_out_channel import ChatSessionOutChannel
from ..models.chat_session_out_channel import check_chat_session_out_channel
from ..models.chat_session_out_status import ChatSessionOutStatus
from ..models.chat_session_out_status import check_chat_session_out_status
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ChatSessionOut")



@_attrs_define
class ChatSessionOut:
    """ 
        Attributes:
            id (str):
            lead_id (None | str | Unset):
            channel (ChatSessionOutChannel | Unset):
            status (ChatSessionOutStatus | Unset):
            message_count (int | Unset):
            last_message_at (datetime.datetime | None | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
     """

    id: str
    lead_id: None | str | Unset = UNSET
    channel: ChatSessionOutChannel | Unset = UNSET
    status: ChatSessionOutStatus | Unset = UNSET
    message_count: int | Unset = UNSET
    last_message_at: datetime.datetime | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        lead_id: None | str | Unset
        if isinstance(self.lead_id, Unset):
            lead_id = UNSET
        else:
            lead_id = self.lead_id

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status


        message_count = self.message_count

        last_message_at: None | str | Unset
        if isinstance(self.last_message_at, Unset):
            last_message_at = UNSET
        elif isinstance(self.last_message_at, datetime.datetime):
            last_message_at = self.last_message_at.isoformat()
        else:
            last_message_at = self.last_message_at

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if lead_id is not UNSET:
            field_dict["leadId"] = lead_id
        if channel is not UNSET:
            field_dict["channel"] = channel
        if status is not UNSET:
            field_dict["status"] = status
        if message_count is not UNSET:
            field_dict["messageCount"] = message_count
        if last_message_at is not UNSET:
            field_dict["lastMessageAt"] = last_message_at
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_lead_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lead_id = _parse_lead_id(d.pop("leadId", UNSET))


        _channel = d.pop("channel", UNSET)
        channel: ChatSessionOutChannel | Unset
        if isinstance(_channel,  Unset):
            channel = UNSET
        else:
            channel = check_chat_session_out_channel(_channel)




        _status = d.pop("status", UNSET)
        status: ChatSessionOutStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = check_chat_session_out_status(_status)




        message_count = d.pop("messageCount", UNSET)

        def _parse_last_message_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_message_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_message_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_message_at = _parse_last_message_at(d.pop("lastMessageAt", UNSET))


        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        _updated_at = d.pop("updatedAt", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at,  Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)




        chat_session_out = cls(
            id=id,
            lead_id=lead_id,
            channel=channel,
            status=status,
            message_count=message_count,
            last_message_at=last_message_at,
            created_at=created_at,
            updated_at=updated_at,
        )


        chat_session_out.additional_properties = d
        return chat_session_out

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
