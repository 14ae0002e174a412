from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connector_object_out_direction import check_connector_object_out_direction
from ..models.connector_object_out_direction import ConnectorObjectOutDirection
from ..models.connector_object_out_hubobject import check_connector_object_out_hubobject
from ..models.connector_object_out_hubobject import ConnectorObjectOutHubobject
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ConnectorObjectOut")



@_attrs_define
class ConnectorObjectOut:
    """ 
        Attributes:
            name (str):
            direction (ConnectorObjectOutDirection): `push`: Hubwire to the provider; `pull`: the provider to Hubwire.
            hub_object (ConnectorObjectOutHubobject): The Hubwire resource this provider object mirrors.
            description (str | Unset):  Default: ''.
     """

    name: str
    direction: ConnectorObjectOutDirection
    hub_object: ConnectorObjectOutHubobject
    description: str | Unset = ''
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        direction: str = self.direction

        hub_object: str = self.hub_object

        description = self.description


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "direction": direction,
            "hubObject": hub_object,
        })
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        direction = check_connector_object_out_direction(d.pop("direction"))




        hub_object = check_connector_object_out_hubobject(d.pop("hubObject"))




        description = d.pop("description", UNSET)

        connector_object_out = cls(
            name=name,
            direction=direction,
            hub_object=hub_object,
            description=description,
        )


        connector_object_out.additional_properties = d
        return connector_object_out

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
