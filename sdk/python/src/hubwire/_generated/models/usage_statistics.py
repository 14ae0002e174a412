from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.endpoint_usage import EndpointUsage
  from ..models.error_count import ErrorCount
  from ..models.time_bucket import TimeBucket





T = TypeVar("T", bound="UsageStatistics")



@_attrs_define
class UsageStatistics:
    """ 
        Attributes:
            date_from (str):
            date_to (str):
            group_by (str):
            total_requests (int):
            successful_requests (int):
            failed_requests (int):
            rate_limited_requests (int):
            average_response_time (float): Milliseconds.
            requests_by_endpoint (list[EndpointUsage]):
            requests_by_time (list[TimeBucket]):
            top_error_codes (list[ErrorCount]):
     """

    date_from: str
    date_to: str
    group_by: str
    total_requests: int
    successful_requests: int
    failed_requests: int
    rate_limited_requests: int
    average_response_time: float
    requests_by_endpoint: list[EndpointUsage]
    requests_by_time: list[TimeBucket]
    top_error_codes: list[ErrorCount]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.endpoint_usage import EndpointUsage # noqa: PLC0415
        from ..models.error_count import ErrorCount # noqa: PLC0415
        from ..models.time_bucket import TimeBucket # noqa: PLC0415
        date_from = self.date_from

        date_to = self.date_to

        group_by = self.group_by

        total_requests = self.total_requests

        successful_requests = self.successful_requests

        failed_requests = self.failed_requests

        rate_limited_requests = self.rate_limited_requests

        average_response_time = self.average_response_time

        requests_by_endpoint = []
        for requests_by_endpoint_item_data in self.requests_by_endpoint:
            requests_by_endpoint_item = requests_by_endpoint_item_data.to_dict()
            requests_by_endpoint.append(requests_by_endpoint_item)



        requests_by_time = []
        for requests_by_time_item_data in self.requests_by_time:
            requests_by_time_item = requests_by_time_item_data.to_dict()
            requests_by_time.append(requests_by_time_item)



        top_error_codes = []
        for top_error_codes_item_data in self.top_error_codes:
            top_error_codes_item = top_error_codes_item_data.to_dict()
            top_error_codes.append(top_error_codes_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "dateFrom": date_from,
            "dateTo": date_to,
            "groupBy": group_by,
            "totalRequests": total_requests,
            "successfulRequests": successful_requests,
            "failedRequests": failed_requests,
            "rateLimitedRequests": rate_limited_requests,
            "averageResponseTime": average_response_time,
            "requestsByEndpoint": requests_by_endpoint,
            "requestsByTime": requests_by_time,
            "topErrorCodes": top_error_codes,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.endpoint_usage import EndpointUsage # noqa: PLC0415
        from ..models.error_count import ErrorCount # noqa: PLC0415
        from ..models.time_bucket import TimeBucket # noqa: PLC0415
        d = dict(src_dict)
        date_from = d.pop("dateFrom")

        date_to = d.pop("dateTo")

        group_by = d.pop("groupBy")

        total_requests = d.pop("totalRequests")

        successful_requests = d.pop("successfulRequests")

        failed_requests = d.pop("failedRequests")

        rate_limited_requests = d.pop("rateLimitedRequests")

        average_response_time = d.pop("averageResponseTime")

        requests_by_endpoint = []
        _requests_by_endpoint = d.pop("requestsByEndpoint")
        for requests_by_endpoint_item_data in (_requests_by_endpoint):
            requests_by_endpoint_item = EndpointUsage.from_dict(requests_by_endpoint_item_data)



            requests_by_endpoint.append(requests_by_endpoint_item)


        requests_by_time = []
        _requests_by_time = d.pop("requestsByTime")
        for requests_by_time_item_data in (_requests_by_time):
            requests_by_time_item = TimeBucket.from_dict(requests_by_time_item_data)



            requests_by_time.append(requests_by_time_item)


        top_error_codes = []
        _top_error_codes = d.pop("topErrorCodes")
        for top_error_codes_item_data in (_top_error_codes):
            top_error_codes_item = ErrorCount.from_dict(top_error_codes_item_data)



            top_error_codes.append(top_error_codes_item)


        usage_statistics = cls(
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
            total_requests=total_requests,
            successful_requests=successful_requests,
            failed_requests=failed_requests,
            rate_limited_requests=rate_limited_requests,
            average_response_time=average_response_time,
            requests_by_endpoint=requests_by_endpoint,
            requests_by_time=requests_by_time,
            top_error_codes=top_error_codes,
        )


        usage_statistics.additional_properties = d
        return usage_statistics

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
