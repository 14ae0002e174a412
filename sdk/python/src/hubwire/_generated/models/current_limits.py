from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CurrentLimits")



@_attrs_define
class CurrentLimits:
    """ 
        Attributes:
            requests_per_minute (int):
            requests_per_hour (int):
            requests_per_day (int):
            burst (int): Requests allowed within one second.
            tier (str):
            override (int | None): The credential's own requests-per-minute limit, if set. It replaces the tier's per-minute
                limit and scales the burst, hourly and daily limits in proportion.
     """

    requests_per_minute: int
    requests_per_hour: int
    requests_per_day: int
    burst: int
    tier: str
    override: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        requests_per_minute = self.requests_per_minute

        requests_per_hour = self.requests_per_hour

        requests_per_day = self.requests_per_day

        burst = self.burst

        tier = self.tier

        override: int | None
        override = self.override


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "requestsPerMinute": requests_per_minute,
            "requestsPerHour": requests_per_hour,
            "requestsPerDay": requests_per_day,
            "burst": burst,
            "tier": tier,
            "override": override,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests_per_minute = d.pop("requestsPerMinute")

        requests_per_hour = d.pop("requestsPerHour")

        requests_per_day = d.pop("requestsPerDay")

        burst = d.pop("burst")

        tier = d.pop("tier")

        def _parse_override(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        override = _parse_override(d.pop("override"))


        current_limits = cls(
            requests_per_minute=requests_per_minute,
            requests_per_hour=requests_per_hour,
            requests_per_day=requests_per_day,
            burst=burst,
            tier=tier,
            override=override,
        )


        current_limits.additional_properties = d
        return current_limits

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
