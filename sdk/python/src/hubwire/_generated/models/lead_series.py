from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.lead_series_groupby import check_lead_series_groupby
from ..models.lead_series_groupby import LeadSeriesGroupby
from typing import cast

if TYPE_CHECKING:
  from ..models.lead_bucket import LeadBucket
  from ..models.period_out import PeriodOut





T = TypeVar("T", bound="LeadSeries")



@_attrs_define
class LeadSeries:
    """ 
        Attributes:
            period (PeriodOut):
            group_by (LeadSeriesGroupby):
            series (list[LeadBucket]): One bucket per hour or day of the period, in order, empty ones included.
     """

    period: PeriodOut
    group_by: LeadSeriesGroupby
    series: list[LeadBucket]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.lead_bucket import LeadBucket # noqa: PLC0415
        from ..models.period_out import PeriodOut # noqa: PLC0415
        period = self.period.to_dict()

        group_by: str = self.group_by

        series = []
        for series_item_data in self.series:
            series_item = series_item_data.to_dict()
            series.append(series_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "groupBy": group_by,
            "series": series,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lead_bucket import LeadBucket # noqa: PLC0415
        from ..models.period_out import PeriodOut # noqa: PLC0415
        d = dict(src_dict)
        period = PeriodOut.from_dict(d.pop("period"))




        group_by = check_lead_series_groupby(d.pop("groupBy"))




        series = []
        _series = d.pop("series")
        for series_item_data in (_series):
            series_item = LeadBucket.from_dict(series_item_data)



            series.append(series_item)


        lead_series = cls(
            period=period,
            group_by=group_by,
            series=series,
        )


        lead_series.additional_properties = d
        return lead_series

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
