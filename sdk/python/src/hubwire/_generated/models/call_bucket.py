from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CallBucket")



@_attrs_define
class CallBucket:
    """ 
        Attributes:
            time (str): `2026-01-01` (day) or `2026-01-01T10:00:00Z` (hour), UTC.
            total (int): Calls started in the bucket.
            ended (int):
            failed (int):
            average_duration_seconds (float | None): Over calls with a duration; null when none has one.
     """

    time: str
    total: int
    ended: int
    failed: int
    average_duration_seconds: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        time = self.time

        total = self.total

        ended = self.ended

        failed = self.failed

        average_duration_seconds: float | None
        average_duration_seconds = self.average_duration_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "time": time,
            "total": total,
            "ended": ended,
            "failed": failed,
            "averageDurationSeconds": average_duration_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = d.pop("time")

        total = d.pop("total")

        ended = d.pop("ended")

        failed = d.pop("failed")

        def _parse_average_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_duration_seconds = _parse_average_duration_seconds(d.pop("averageDurationSeconds"))


        call_bucket = cls(
            time=time,
            total=total,
            ended=ended,
            failed=failed,
            average_duration_seconds=average_duration_seconds,
        )


        call_bucket.additional_properties = d
        return call_bucket

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
