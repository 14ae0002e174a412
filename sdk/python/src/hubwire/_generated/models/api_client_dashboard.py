from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.api_client_out import ApiClientOut
  from ..models.key_counts import KeyCounts
  from ..models.rate_limit_info import RateLimitInfo
  from ..models.usage_window import UsageWindow





T = TypeVar("T", bound="ApiClientDashboard")



@_attrs_define
class ApiClientDashboard:
    """ 
        Attributes:
            client (ApiClientOut):
            keys (KeyCounts):
            usage_last_24_hours (UsageWindow):
            usage_last_30_days (UsageWindow):
            rate_limit (RateLimitInfo):
     """

    client: ApiClientOut
    keys: KeyCounts
    usage_last_24_hours: UsageWindow
    usage_last_30_days: UsageWindow
    rate_limit: RateLimitInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_client_out import ApiClientOut # noqa: PLC0415
        from ..models.key_counts import KeyCounts # noqa: PLC0415
        from ..models.rate_limit_info import RateLimitInfo # noqa: PLC0415
        from ..models.usage_window import UsageWindow # noqa: PLC0415
        client = self.client.to_dict()

        keys = self.keys.to_dict()

        usage_last_24_hours = self.usage_last_24_hours.to_dict()

        usage_last_30_days = self.usage_last_30_days.to_dict()

        rate_limit = self.rate_limit.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client": client,
            "keys": keys,
            "usageLast24Hours": usage_last_24_hours,
            "usageLast30Days": usage_last_30_days,
            "rateLimit": rate_limit,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_client_out import ApiClientOut # noqa: PLC0415
        from ..models.key_counts import KeyCounts # noqa: PLC0415
        from ..models.rate_limit_info import RateLimitInfo # noqa: PLC0415
        from ..models.usage_window import UsageWindow # noqa: PLC0415
        d = dict(src_dict)
        client = ApiClientOut.from_dict(d.pop("client"))




        keys = KeyCounts.from_dict(d.pop("keys"))




        usage_last_24_hours = UsageWindow.from_dict(d.pop("usageLast24Hours"))




        usage_last_30_days = UsageWindow.from_dict(d.pop("usageLast30Days"))




        rate_limit = RateLimitInfo.from_dict(d.pop("rateLimit"))




        api_client_dashboard = cls(
            client=client,
            keys=keys,
            usage_last_24_hours=usage_last_24_hours,
            usage_last_30_days=usage_last_30_days,
            rate_limit=rate_limit,
        )


        api_client_dashboard.additional_properties = d
        return api_client_dashboard

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
