from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EndpointUsage")



@_attrs_define
class EndpointUsage:
    """ 
        Attributes:
            endpoint (str):
            method (str):
            count (int):
            avg_response_time (float): Milliseconds.
     """

    endpoint: str
    method: str
    count: int
    avg_response_time: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        method = self.method

        count = self.count

        avg_response_time = self.avg_response_time


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "endpoint": endpoint,
            "method": method,
            "count": count,
            "avgResponseTime": avg_response_time,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        endpoint = d.pop("endpoint")

        method = d.pop("method")

        count = d.pop("count")

        avg_response_time = d.pop("avgResponseTime")

        endpoint_usage = cls(
            endpoint=endpoint,
            method=method,
            count=count,
            avg_response_time=avg_response_time,
        )


        endpoint_usage.additional_properties = d
        return endpoint_usage

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
