from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.lead_stats_bysource import LeadStatsBysource
  from ..models.lead_stats_bystatus import LeadStatsBystatus





T = TypeVar("T", bound="LeadStats")



@_attrs_define
class LeadStats:
    """ 
        Attributes:
            total (int):
            by_status (LeadStatsBystatus): Every lead status, zero when none.
            by_source (LeadStatsBysource): The 50 most frequent sources; leads without a source count under `unknown`.
            conversion_rate (float): Converted leads over all leads of the period (0 when there are none).
     """

    total: int
    by_status: LeadStatsBystatus
    by_source: LeadStatsBysource
    conversion_rate: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.lead_stats_bysource import LeadStatsBysource # noqa: PLC0415
        from ..models.lead_stats_bystatus import LeadStatsBystatus # noqa: PLC0415
        total = self.total

        by_status = self.by_status.to_dict()

        by_source = self.by_source.to_dict()

        conversion_rate = self.conversion_rate


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total": total,
            "byStatus": by_status,
            "bySource": by_source,
            "conversionRate": conversion_rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lead_stats_bysource import LeadStatsBysource # noqa: PLC0415
        from ..models.lead_stats_bystatus import LeadStatsBystatus # noqa: PLC0415
        d = dict(src_dict)
        total = d.pop("total")

        by_status = LeadStatsBystatus.from_dict(d.pop("byStatus"))




        by_source = LeadStatsBysource.from_dict(d.pop("bySource"))




        conversion_rate = d.pop("conversionRate")

        lead_stats = cls(
            total=total,
            by_status=by_status,
            by_source=by_source,
            conversion_rate=conversion_rate,
        )


        lead_stats.additional_properties = d
        return lead_stats

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
