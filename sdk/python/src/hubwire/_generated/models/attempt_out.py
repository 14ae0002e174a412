from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="AttemptOut")



@_attrs_define
class AttemptOut:
    """ 
        Attributes:
            number (int):
            status_code (int | None):
            error (None | str):
            latency_ms (int):
            attempted_at (datetime.datetime):
            response_body (None | str | Unset): The first 1 KB of the receiver's answer as text (null: no body, or no answer
                at all).
     """

    number: int
    status_code: int | None
    error: None | str
    latency_ms: int
    attempted_at: datetime.datetime
    response_body: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        number = self.number

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        latency_ms = self.latency_ms

        attempted_at = self.attempted_at.isoformat()

        response_body: None | str | Unset
        if isinstance(self.response_body, Unset):
            response_body = UNSET
        else:
            response_body = self.response_body


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "number": number,
            "statusCode": status_code,
            "error": error,
            "latencyMs": latency_ms,
            "attemptedAt": attempted_at,
        })
        if response_body is not UNSET:
            field_dict["responseBody"] = response_body

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("statusCode"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        latency_ms = d.pop("latencyMs")

        attempted_at = datetime.datetime.fromisoformat(d.pop("attemptedAt"))




        def _parse_response_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response_body = _parse_response_body(d.pop("responseBody", UNSET))


        attempt_out = cls(
            number=number,
            status_code=status_code,
            error=error,
            latency_ms=latency_ms,
            attempted_at=attempted_at,
            response_body=response_body,
        )


        attempt_out.additional_properties = d
        return attempt_out

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
