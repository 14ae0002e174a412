from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="TranscriptSegmentOut")



@_attrs_define
class TranscriptSegmentOut:
    """ 
        Attributes:
            speaker (str):
            text (str):
            start_seconds (float):
            end_seconds (float):
     """

    speaker: str
    text: str
    start_seconds: float
    end_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        speaker = self.speaker

        text = self.text

        start_seconds = self.start_seconds

        end_seconds = self.end_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "speaker": speaker,
            "text": text,
            "startSeconds": start_seconds,
            "endSeconds": end_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        speaker = d.pop("speaker")

        text = d.pop("text")

        start_seconds = d.pop("startSeconds")

        end_seconds = d.pop("endSeconds")

        transcript_segment_out = cls(
            speaker=speaker,
            text=text,
            start_seconds=start_seconds,
            end_seconds=end_seconds,
        )


        transcript_segment_out.additional_properties = d
        return transcript_segment_out

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
