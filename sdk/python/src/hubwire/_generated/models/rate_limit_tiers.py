from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.tier_limits_out import TierLimitsOut





T = TypeVar("T", bound="RateLimitTiers")



@_attrs_define
class RateLimitTiers:
    """ 
        Attributes:
            basic (TierLimitsOut):
            standard (TierLimitsOut):
            premium (TierLimitsOut):
            enterprise (TierLimitsOut):
     """

    basic: TierLimitsOut
    standard: TierLimitsOut
    premium: TierLimitsOut
    enterprise: TierLimitsOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_limits_out import TierLimitsOut # noqa: PLC0415
        basic = self.basic.to_dict()

        standard = self.standard.to_dict()

        premium = self.premium.to_dict()

        enterprise = self.enterprise.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "basic": basic,
            "standard": standard,
            "premium": premium,
            "enterprise": enterprise,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_limits_out import TierLimitsOut # noqa: PLC0415
        d = dict(src_dict)
        basic = TierLimitsOut.from_dict(d.pop("basic"))




        standard = TierLimitsOut.from_dict(d.pop("standard"))




        premium = TierLimitsOut.from_dict(d.pop("premium"))




        enterprise = TierLimitsOut.from_dict(d.pop("enterprise"))




        rate_limit_tiers = cls(
            basic=basic,
            standard=standard,
            premium=premium,
            enterprise=enterprise,
        )


        rate_limit_tiers.additional_properties = d
        return rate_limit_tiers

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
