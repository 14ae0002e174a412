from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.call_out_direction import CallOutDirection
from ..models.call_out_direction import check_call_out_direction
from ..models.call_out_outcome_type_0 import CallOutOutcomeType0
from ..models.call_out_outcome_type_0 import check_call_out_outcome_type_0
from ..models.call_out_status import CallOutStatus
from ..models.call_out_status import check_call_out_status
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.call_out_customfields import CallOutCustomfields
  from ..models.transcript_out import TranscriptOut





T = TypeVar("T", bound="CallOut")



@_attrs_define
class CallOut:
    """ 
        Attributes:
            id (str):
            lead_id (None | str | Unset):
            direction (CallOutDirection | Unset):
            status (CallOutStatus | Unset):
            from_number (None | str | Unset):
            to_number (None | str | Unset):
            started_at (datetime.datetime | Unset):
            ended_at (datetime.datetime | None | Unset):
            duration_seconds (int | None | Unset):
            outcome (CallOutOutcomeType0 | None | Unset):
            summary (None | str | Unset):
            transcript (None | TranscriptOut | Unset): Present once a transcript was uploaded.
            custom_fields (CallOutCustomfields | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
     """

    id: str
    lead_id: None | str | Unset = UNSET
    direction: CallOutDirection | Unset = UNSET
    status: CallOutStatus | Unset = UNSET
    from_number: None | str | Unset = UNSET
    to_number: None | str | Unset = UNSET
    started_at: datetime.datetime | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    duration_seconds: int | None | Unset = UNSET
    outcome: CallOutOutcomeType0 | None | Unset = UNSET
    summary: None | str | Unset = UNSET
    transcript: None | TranscriptOut | Unset = UNSET
    custom_fields: CallOutCustomfields | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.call_out_customfields import CallOutCustomfields # noqa: PLC0415
        from ..models.transcript_out import TranscriptOut # noqa: PLC0415
        id = self.id

        lead_id: None | str | Unset
        if isinstance(self.lead_id, Unset):
            lead_id = UNSET
        else:
            lead_id = self.lead_id

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status


        from_number: None | str | Unset
        if isinstance(self.from_number, Unset):
            from_number = UNSET
        else:
            from_number = self.from_number

        to_number: None | str | Unset
        if isinstance(self.to_number, Unset):
            to_number = UNSET
        else:
            to_number = self.to_number

        started_at: str | Unset = UNSET
        if not isinstance(self.started_at, Unset):
            started_at = self.started_at.isoformat()

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        elif isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        duration_seconds: int | None | Unset
        if isinstance(self.duration_seconds, Unset):
            duration_seconds = UNSET
        else:
            duration_seconds = self.duration_seconds

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, str):
            outcome = self.outcome
        else:
            outcome = self.outcome

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        transcript: dict[str, Any] | None | Unset
        if isinstance(self.transcript, Unset):
            transcript = UNSET
        elif isinstance(self.transcript, TranscriptOut):
            transcript = self.transcript.to_dict()
        else:
            transcript = self.transcript

        custom_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = self.custom_fields.to_dict()

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if lead_id is not UNSET:
            field_dict["leadId"] = lead_id
        if direction is not UNSET:
            field_dict["direction"] = direction
        if status is not UNSET:
            field_dict["status"] = status
        if from_number is not UNSET:
            field_dict["fromNumber"] = from_number
        if to_number is not UNSET:
            field_dict["toNumber"] = to_number
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if ended_at is not UNSET:
            field_dict["endedAt"] = ended_at
        if duration_seconds is not UNSET:
            field_dict["durationSeconds"] = duration_seconds
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if summary is not UNSET:
            field_dict["summary"] = summary
        if transcript is not UNSET:
            field_dict["transcript"] = transcript
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_out_customfields import CallOutCustomfields # noqa: PLC0415
        from ..models.transcript_out import TranscriptOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_lead_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lead_id = _parse_lead_id(d.pop("leadId", UNSET))


        _direction = d.pop("direction", UNSET)
        direction: CallOutDirection | Unset
        if isinstance(_direction,  Unset):
            direction = UNSET
        else:
            direction = check_call_out_direction(_direction)




        _status = d.pop("status", UNSET)
        status: CallOutStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = check_call_out_status(_status)




        def _parse_from_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_number = _parse_from_number(d.pop("fromNumber", UNSET))


        def _parse_to_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_number = _parse_to_number(d.pop("toNumber", UNSET))


        _started_at = d.pop("startedAt", UNSET)
        started_at: datetime.datetime | Unset
        if isinstance(_started_at,  Unset):
            started_at = UNSET
        else:
            started_at = datetime.datetime.fromisoformat(_started_at)




        def _parse_ended_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)



                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ended_at = _parse_ended_at(d.pop("endedAt", UNSET))


        def _parse_duration_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_seconds = _parse_duration_seconds(d.pop("durationSeconds", UNSET))


        def _parse_outcome(data: object) -> CallOutOutcomeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = check_call_out_outcome_type_0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallOutOutcomeType0 | None | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))


        def _parse_transcript(data: object) -> None | TranscriptOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transcript_type_0 = TranscriptOut.from_dict(data)



                return transcript_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TranscriptOut | Unset, data)

        transcript = _parse_transcript(d.pop("transcript", UNSET))


        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: CallOutCustomfields | Unset
        if isinstance(_custom_fields,  Unset):
            custom_fields = UNSET
        else:
            custom_fields = CallOutCustomfields.from_dict(_custom_fields)




        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        _updated_at = d.pop("updatedAt", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at,  Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)




        call_out = cls(
            id=id,
            lead_id=lead_id,
            direction=direction,
            status=status,
            from_number=from_number,
            to_number=to_number,
            started_at=started_at,
            ended_at=ended_at,
            duration_seconds=duration_seconds,
            outcome=outcome,
            summary=summary,
            transcript=transcript,
            custom_fields=custom_fields,
            created_at=created_at,
            updated_at=updated_at,
        )


        call_out.additional_properties = d
        return call_out

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
