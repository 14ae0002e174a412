from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.transcript_segment_out import TranscriptSegmentOut





T = TypeVar("T", bound="TranscriptOut")



@_attrs_define
class TranscriptOut:
    """ 
        Attributes:
            text (str):
            segments (list[TranscriptSegmentOut] | None):
            language (None | str):
            transcribed_at (datetime.datetime | None):
     """

    text: str
    segments: list[TranscriptSegmentOut] | None
    language: None | str
    transcribed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.transcript_segment_out import TranscriptSegmentOut # noqa: PLC0415
        text = self.text

        segments: list[dict[str, Any]] | None
        if isinstance(self.segments, list):
            segments = []
            for segments_type_0_item_data in self.segments:
                segments_type_0_item = segments_type_0_item_data.to_dict()
                segments.append(segments_type_0_item)


        else:
            segments = self.segments

        language: None | str
        language = self.language

        transcribed_at: None | str
        if isinstance(self.transcribed_at, datetime.datetime):
            transcribed_at = self.transcribed_at.isoformat()
        else:
            transcribed_at = self.transcribed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "text": text,
            "segments": segments,
            "language": language,
            "transcribedAt": transcribed_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transcript_segment_out import TranscriptSegmentOut # noqa: PLC0415
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_segments(data: object) -> list[TranscriptSegmentOut] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                segments_type_0 = []
                _segments_type_0 = data
                for segments_type_0_item_data in (_segments_type_0):
                    segments_type_0_item = TranscriptSegmentOut.from_dict(segments_type_0_item_data)



                    segments_type_0.append(segments_type_0_item)

                return segments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TranscriptSegmentOut] | None, data)

        segments = _parse_segments(d.pop("segments"))


        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))


        def _parse_transcribed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transcribed_at_type_0 = datetime.datetime.fromisoformat(data)



                return transcribed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        transcribed_at = _parse_transcribed_at(d.pop("transcribedAt"))


        transcript_out = cls(
            text=text,
            segments=segments,
            language=language,
            transcribed_at=transcribed_at,
        )


        transcript_out.additional_properties = d
        return transcript_out

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
