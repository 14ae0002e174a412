from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ConnectionTestOut")



@_attrs_define
class ConnectionTestOut:
    """ 
        Attributes:
            ok (bool): Whether the provider accepted the credentials.
            account (None | str): The provider account, when it said.
            detail (str):
            latency_ms (int): How long the check took.
     """

    ok: bool
    account: None | str
    detail: str
    latency_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        account: None | str
        account = self.account

        detail = self.detail

        latency_ms = self.latency_ms


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ok": ok,
            "account": account,
            "detail": detail,
            "latencyMs": latency_ms,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        def _parse_account(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account = _parse_account(d.pop("account"))


        detail = d.pop("detail")

        latency_ms = d.pop("latencyMs")

        connection_test_out = cls(
            ok=ok,
            account=account,
            detail=detail,
            latency_ms=latency_ms,
        )


        connection_test_out.additional_properties = d
        return connection_test_out

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
