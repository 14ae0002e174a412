from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="HookOut")



@_attrs_define
class HookOut:
    """ 
        Attributes:
            id (str):
            target_url (str):
            event (str):
            events (list[str]):
            active (bool):
            created_at (datetime.datetime):
     """

    id: str
    target_url: str
    event: str
    events: list[str]
    active: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        target_url = self.target_url

        event = self.event

        events = self.events



        active = self.active

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "targetUrl": target_url,
            "event": event,
            "events": events,
            "active": active,
            "createdAt": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        target_url = d.pop("targetUrl")

        event = d.pop("event")

        events = cast(list[str], d.pop("events"))


        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        hook_out = cls(
            id=id,
            target_url=target_url,
            event=event,
            events=events,
            active=active,
            created_at=created_at,
        )


        hook_out.additional_properties = d
        return hook_out

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
