from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.attempt_out import AttemptOut





T = TypeVar("T", bound="TestResult")



@_attrs_define
class TestResult:
    """ 
        Attributes:
            delivery_id (str):
            success (bool):
            attempt (AttemptOut):
     """

    delivery_id: str
    success: bool
    attempt: AttemptOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_out import AttemptOut # noqa: PLC0415
        delivery_id = self.delivery_id

        success = self.success

        attempt = self.attempt.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "deliveryId": delivery_id,
            "success": success,
            "attempt": attempt,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_out import AttemptOut # noqa: PLC0415
        d = dict(src_dict)
        delivery_id = d.pop("deliveryId")

        success = d.pop("success")

        attempt = AttemptOut.from_dict(d.pop("attempt"))




        test_result = cls(
            delivery_id=delivery_id,
            success=success,
            attempt=attempt,
        )


        test_result.additional_properties = d
        return test_result

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
