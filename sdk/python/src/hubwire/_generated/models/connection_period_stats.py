from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.sync_day import SyncDay
  from ..models.sync_totals import SyncTotals





T = TypeVar("T", bound="ConnectionPeriodStats")



@_attrs_define
class ConnectionPeriodStats:
    """ 
        Attributes:
            connection_id (str):
            start_date (datetime.date):
            end_date (datetime.date):
            days (list[SyncDay]): Every day of the period, zeros included.
            totals (SyncTotals):
     """

    connection_id: str
    start_date: datetime.date
    end_date: datetime.date
    days: list[SyncDay]
    totals: SyncTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sync_day import SyncDay # noqa: PLC0415
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        connection_id = self.connection_id

        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)



        totals = self.totals.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "connectionId": connection_id,
            "startDate": start_date,
            "endDate": end_date,
            "days": days,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_day import SyncDay # noqa: PLC0415
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        d = dict(src_dict)
        connection_id = d.pop("connectionId")

        start_date = datetime.date.fromisoformat(d.pop("startDate"))




        end_date = datetime.date.fromisoformat(d.pop("endDate"))




        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = SyncDay.from_dict(days_item_data)



            days.append(days_item)


        totals = SyncTotals.from_dict(d.pop("totals"))




        connection_period_stats = cls(
            connection_id=connection_id,
            start_date=start_date,
            end_date=end_date,
            days=days,
            totals=totals,
        )


        connection_period_stats.additional_properties = d
        return connection_period_stats

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
