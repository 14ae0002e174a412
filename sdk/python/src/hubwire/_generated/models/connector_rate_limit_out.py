from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connector_rate_limit_out_per import check_connector_rate_limit_out_per
from ..models.connector_rate_limit_out_per import ConnectorRateLimitOutPer
from typing import cast






T = TypeVar("T", bound="ConnectorRateLimitOut")



@_attrs_define
class ConnectorRateLimitOut:
    """ 
        Attributes:
            requests (int):
            window_seconds (int):
            per (ConnectorRateLimitOutPer): `connection`: per provider account; `app`: shared by all of Hubwire.
     """

    requests: int
    window_seconds: int
    per: ConnectorRateLimitOutPer
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        requests = self.requests

        window_seconds = self.window_seconds

        per: str = self.per


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "requests": requests,
            "windowSeconds": window_seconds,
            "per": per,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests = d.pop("requests")

        window_seconds = d.pop("windowSeconds")

        per = check_connector_rate_limit_out_per(d.pop("per"))




        connector_rate_limit_out = cls(
            requests=requests,
            window_seconds=window_seconds,
            per=per,
        )


        connector_rate_limit_out.additional_properties = d
        return connector_rate_limit_out

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
