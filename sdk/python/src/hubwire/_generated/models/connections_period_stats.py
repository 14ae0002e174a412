from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.connection_totals import ConnectionTotals
  from ..models.sync_day import SyncDay
  from ..models.sync_totals import SyncTotals





T = TypeVar("T", bound="ConnectionsPeriodStats")



@_attrs_define
class ConnectionsPeriodStats:
    """ 
        Attributes:
            start_date (datetime.date):
            end_date (datetime.date):
            connections (int): How many connections the workspace has.
            days (list[SyncDay]): Summed over every connection.
            totals (SyncTotals):
            per_connection (list[ConnectionTotals]):
     """

    start_date: datetime.date
    end_date: datetime.date
    connections: int
    days: list[SyncDay]
    totals: SyncTotals
    per_connection: list[ConnectionTotals]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_totals import ConnectionTotals # noqa: PLC0415
        from ..models.sync_day import SyncDay # noqa: PLC0415
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        connections = self.connections

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)



        totals = self.totals.to_dict()

        per_connection = []
        for per_connection_item_data in self.per_connection:
            per_connection_item = per_connection_item_data.to_dict()
            per_connection.append(per_connection_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "startDate": start_date,
            "endDate": end_date,
            "connections": connections,
            "days": days,
            "totals": totals,
            "perConnection": per_connection,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_totals import ConnectionTotals # noqa: PLC0415
        from ..models.sync_day import SyncDay # noqa: PLC0415
        from ..models.sync_totals import SyncTotals # noqa: PLC0415
        d = dict(src_dict)
        start_date = datetime.date.fromisoformat(d.pop("startDate"))




        end_date = datetime.date.fromisoformat(d.pop("endDate"))




        connections = d.pop("connections")

        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = SyncDay.from_dict(days_item_data)



            days.append(days_item)


        totals = SyncTotals.from_dict(d.pop("totals"))




        per_connection = []
        _per_connection = d.pop("perConnection")
        for per_connection_item_data in (_per_connection):
            per_connection_item = ConnectionTotals.from_dict(per_connection_item_data)



            per_connection.append(per_connection_item)


        connections_period_stats = cls(
            start_date=start_date,
            end_date=end_date,
            connections=connections,
            days=days,
            totals=totals,
            per_connection=per_connection,
        )


        connections_period_stats.additional_properties = d
        return connections_period_stats

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
