from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="TranscriptSegmentIn")



@_attrs_define
class TranscriptSegmentIn:
    """ 
        Attributes:
            speaker (str): `agent`, `caller` or any speaker label.
            text (str):
            start_seconds (float):
            end_seconds (float):
     """

    speaker: str
    text: str
    start_seconds: float
    end_seconds: float





    def to_dict(self) -> dict[str, Any]:
        speaker = self.speaker

        text = self.text

        start_seconds = self.start_seconds

        end_seconds = self.end_seconds


        field_dict: dict[str, Any] = {}

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

        transcript_segment_in = cls(
            speaker=speaker,
            text=text,
            start_seconds=start_seconds,
            end_seconds=end_seconds,
        )

        return transcript_segment_in

