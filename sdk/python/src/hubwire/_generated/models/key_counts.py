from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="KeyCounts")



@_attrs_define
class KeyCounts:
    """ 
        Attributes:
            total (int):
            active (int):
            revoked (int):
            expired (int):
     """

    total: int
    active: int
    revoked: int
    expired: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        total = self.total

        active = self.active

        revoked = self.revoked

        expired = self.expired


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total": total,
            "active": active,
            "revoked": revoked,
            "expired": expired,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total")

        active = d.pop("active")

        revoked = d.pop("revoked")

        expired = d.pop("expired")

        key_counts = cls(
            total=total,
            active=active,
            revoked=revoked,
            expired=expired,
        )


        key_counts.additional_properties = d
        return key_counts

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
