from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="TierLimitsOut")



@_attrs_define
class TierLimitsOut:
    """ 
        Attributes:
            requests_per_minute (int):
            requests_per_hour (int):
            requests_per_day (int):
            burst (int): Requests allowed within one second.
     """

    requests_per_minute: int
    requests_per_hour: int
    requests_per_day: int
    burst: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        requests_per_minute = self.requests_per_minute

        requests_per_hour = self.requests_per_hour

        requests_per_day = self.requests_per_day

        burst = self.burst


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "requestsPerMinute": requests_per_minute,
            "requestsPerHour": requests_per_hour,
            "requestsPerDay": requests_per_day,
            "burst": burst,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests_per_minute = d.pop("requestsPerMinute")

        requests_per_hour = d.pop("requestsPerHour")

        requests_per_day = d.pop("requestsPerDay")

        burst = d.pop("burst")

        tier_limits_out = cls(
            requests_per_minute=requests_per_minute,
            requests_per_hour=requests_per_hour,
            requests_per_day=requests_per_day,
            burst=burst,
        )


        tier_limits_out.additional_properties = d
        return tier_limits_out

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
