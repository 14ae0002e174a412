from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AnalysisRequest")



@_attrs_define
class AnalysisRequest:
    """ 
        Attributes:
            callback_url (None | str | Unset): Receives a signed `job.completed` or `job.failed` callback when the analysis
                finishes (verify it with `GET /v1/jobs/callback-secret`).
     """

    callback_url: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if callback_url is not UNSET:
            field_dict["callbackUrl"] = callback_url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callbackUrl", UNSET))


        analysis_request = cls(
            callback_url=callback_url,
        )

        return analysis_request

