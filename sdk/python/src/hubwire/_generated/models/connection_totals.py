from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sync_totals import SyncTotals





T = TypeVar("T", bound="ConnectionTotals")



@_attrs_define
class ConnectionTotals:
    """ 
        Attributes:
            connection_id (str):
            connector (str):
            name (None | str):
            totals (SyncTotals):
     """

    connection_id: str
    connector: str
    name: None | str
    totals: SyncTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        connection_id = self.connection_id

        connector = self.connector

        name: None | str
        name = self.name

        totals = self.totals.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "connectionId": connection_id,
            "connector": connector,
            "name": name,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        d = dict(src_dict)
        connection_id = d.pop("connectionId")

        connector = d.pop("connector")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        totals = SyncTotals.from_dict(d.pop("totals"))




        connection_totals = cls(
            connection_id=connection_id,
            connector=connector,
            name=name,
            totals=totals,
        )


        connection_totals.additional_properties = d
        return connection_totals

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
