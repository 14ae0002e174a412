from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.transcript_segment_in import TranscriptSegmentIn





T = TypeVar("T", bound="TranscriptUpload")



@_attrs_define
class TranscriptUpload:
    """ 
        Attributes:
            text (str):
            segments (list[TranscriptSegmentIn] | None | Unset):
            language (None | str | Unset):
     """

    text: str
    segments: list[TranscriptSegmentIn] | None | Unset = UNSET
    language: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.transcript_segment_in import TranscriptSegmentIn # noqa: PLC0415
        text = self.text

        segments: list[dict[str, Any]] | None | Unset
        if isinstance(self.segments, Unset):
            segments = UNSET
        elif isinstance(self.segments, list):
            segments = []
            for segments_type_0_item_data in self.segments:
                segments_type_0_item = segments_type_0_item_data.to_dict()
                segments.append(segments_type_0_item)


        else:
            segments = self.segments

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "text": text,
        })
        if segments is not UNSET:
            field_dict["segments"] = segments
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transcript_segment_in import TranscriptSegmentIn # noqa: PLC0415
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_segments(data: object) -> list[TranscriptSegmentIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                segments_type_0 = []
                _segments_type_0 = data
                for segments_type_0_item_data in (_segments_type_0):
                    segments_type_0_item = TranscriptSegmentIn.from_dict(segments_type_0_item_data)



                    segments_type_0.append(segments_type_0_item)

                return segments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TranscriptSegmentIn] | None | Unset, data)

        segments = _parse_segments(d.pop("segments", UNSET))


        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))


        transcript_upload = cls(
            text=text,
            segments=segments,
            language=language,
        )

        return transcript_upload

