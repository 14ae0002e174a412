from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ApiKeyRotate")



@_attrs_define
class ApiKeyRotate:
    """ 
        Attributes:
            grace_period_hours (int | None | Unset): How long the old secret keeps working (default 24; 0 ends it at once).
     """

    grace_period_hours: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        grace_period_hours: int | None | Unset
        if isinstance(self.grace_period_hours, Unset):
            grace_period_hours = UNSET
        else:
            grace_period_hours = self.grace_period_hours


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if grace_period_hours is not UNSET:
            field_dict["gracePeriodHours"] = grace_period_hours

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_grace_period_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        grace_period_hours = _parse_grace_period_hours(d.pop("gracePeriodHours", UNSET))


        api_key_rotate = cls(
            grace_period_hours=grace_period_hours,
        )

        return api_key_rotate

