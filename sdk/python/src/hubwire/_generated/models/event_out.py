from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.event_out_data import EventOutData





T = TypeVar("T", bound="EventOut")



@_attrs_define
class EventOut:
    """ 
        Attributes:
            id (str):
            type_ (str):
            timestamp (datetime.datetime):
            workspace_id (str):
            data (EventOutData):
            version (str):
     """

    id: str
    type_: str
    timestamp: datetime.datetime
    workspace_id: str
    data: EventOutData
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_out_data import EventOutData # noqa: PLC0415
        id = self.id

        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        workspace_id = self.workspace_id

        data = self.data.to_dict()

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "timestamp": timestamp,
            "workspaceId": workspace_id,
            "data": data,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_out_data import EventOutData # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        workspace_id = d.pop("workspaceId")

        data = EventOutData.from_dict(d.pop("data"))




        version = d.pop("version")

        event_out = cls(
            id=id,
            type_=type_,
            timestamp=timestamp,
            workspace_id=workspace_id,
            data=data,
            version=version,
        )


        event_out.additional_properties = d
        return event_out

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
