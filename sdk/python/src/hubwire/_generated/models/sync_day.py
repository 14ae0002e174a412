from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SyncDay")



@_attrs_define
class SyncDay:
    """ 
        Attributes:
            pushed (int):
            pulled (int):
            failed (int):
            provider_calls (int):
            date (datetime.date):
     """

    pushed: int
    pulled: int
    failed: int
    provider_calls: int
    date: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        pushed = self.pushed

        pulled = self.pulled

        failed = self.failed

        provider_calls = self.provider_calls

        date = self.date.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "pushed": pushed,
            "pulled": pulled,
            "failed": failed,
            "providerCalls": provider_calls,
            "date": date,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pushed = d.pop("pushed")

        pulled = d.pop("pulled")

        failed = d.pop("failed")

        provider_calls = d.pop("providerCalls")

        date = datetime.date.fromisoformat(d.pop("date"))




        sync_day = cls(
            pushed=pushed,
            pulled=pulled,
            failed=failed,
            provider_calls=provider_calls,
            date=date,
        )


        sync_day.additional_properties = d
        return sync_day

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
