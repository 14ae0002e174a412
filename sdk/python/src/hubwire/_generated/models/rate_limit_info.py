from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rate_limit_info_tier import check_rate_limit_info_tier
from ..models.rate_limit_info_tier import RateLimitInfoTier
from typing import cast






T = TypeVar("T", bound="RateLimitInfo")



@_attrs_define
class RateLimitInfo:
    """ 
        Attributes:
            tier (RateLimitInfoTier):
            requests_per_minute (int):
            requests_per_hour (int):
            requests_per_day (int):
            burst (int):
     """

    tier: RateLimitInfoTier
    requests_per_minute: int
    requests_per_hour: int
    requests_per_day: int
    burst: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        tier: str = self.tier

        requests_per_minute = self.requests_per_minute

        requests_per_hour = self.requests_per_hour

        requests_per_day = self.requests_per_day

        burst = self.burst


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "tier": tier,
            "requestsPerMinute": requests_per_minute,
            "requestsPerHour": requests_per_hour,
            "requestsPerDay": requests_per_day,
            "burst": burst,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tier = check_rate_limit_info_tier(d.pop("tier"))




        requests_per_minute = d.pop("requestsPerMinute")

        requests_per_hour = d.pop("requestsPerHour")

        requests_per_day = d.pop("requestsPerDay")

        burst = d.pop("burst")

        rate_limit_info = cls(
            tier=tier,
            requests_per_minute=requests_per_minute,
            requests_per_hour=requests_per_hour,
            requests_per_day=requests_per_day,
            burst=burst,
        )


        rate_limit_info.additional_properties = d
        return rate_limit_info

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
