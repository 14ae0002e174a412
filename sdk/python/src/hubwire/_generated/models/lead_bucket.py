from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.lead_bucket_bystatus import LeadBucketBystatus





T = TypeVar("T", bound="LeadBucket")



@_attrs_define
class LeadBucket:
    """ 
        Attributes:
            time (str): `2026-01-01` (day) or `2026-01-01T10:00:00Z` (hour), UTC.
            total (int):
            by_status (LeadBucketBystatus): Every lead status, zero when none.
     """

    time: str
    total: int
    by_status: LeadBucketBystatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.lead_bucket_bystatus import LeadBucketBystatus # noqa: PLC0415
        time = self.time

        total = self.total

        by_status = self.by_status.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "time": time,
            "total": total,
            "byStatus": by_status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lead_bucket_bystatus import LeadBucketBystatus # noqa: PLC0415
        d = dict(src_dict)
        time = d.pop("time")

        total = d.pop("total")

        by_status = LeadBucketBystatus.from_dict(d.pop("byStatus"))




        lead_bucket = cls(
            time=time,
            total=total,
            by_status=by_status,
        )


        lead_bucket.additional_properties = d
        return lead_bucket

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
