from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.call_stats_byoutcome import CallStatsByoutcome
  from ..models.call_stats_bystatus import CallStatsBystatus





T = TypeVar("T", bound="CallStats")



@_attrs_define
class CallStats:
    """ 
        Attributes:
            total (int): Calls started in the period.
            by_status (CallStatsBystatus):
            by_outcome (CallStatsByoutcome): Calls without an outcome count under `unknown`.
            average_duration_seconds (float | None): Over calls with a duration; null when none has one.
            total_duration_seconds (int):
     """

    total: int
    by_status: CallStatsBystatus
    by_outcome: CallStatsByoutcome
    average_duration_seconds: float | None
    total_duration_seconds: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.call_stats_byoutcome import CallStatsByoutcome # noqa: PLC0415
        from ..models.call_stats_bystatus import CallStatsBystatus # noqa: PLC0415
        total = self.total

        by_status = self.by_status.to_dict()

        by_outcome = self.by_outcome.to_dict()

        average_duration_seconds: float | None
        average_duration_seconds = self.average_duration_seconds

        total_duration_seconds = self.total_duration_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total": total,
            "byStatus": by_status,
            "byOutcome": by_outcome,
            "averageDurationSeconds": average_duration_seconds,
            "totalDurationSeconds": total_duration_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_stats_byoutcome import CallStatsByoutcome # noqa: PLC0415
        from ..models.call_stats_bystatus import CallStatsBystatus # noqa: PLC0415
        d = dict(src_dict)
        total = d.pop("total")

        by_status = CallStatsBystatus.from_dict(d.pop("byStatus"))




        by_outcome = CallStatsByoutcome.from_dict(d.pop("byOutcome"))




        def _parse_average_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_duration_seconds = _parse_average_duration_seconds(d.pop("averageDurationSeconds"))


        total_duration_seconds = d.pop("totalDurationSeconds")

        call_stats = cls(
            total=total,
            by_status=by_status,
            by_outcome=by_outcome,
            average_duration_seconds=average_duration_seconds,
            total_duration_seconds=total_duration_seconds,
        )


        call_stats.additional_properties = d
        return call_stats

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
