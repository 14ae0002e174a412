from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.call_create_direction import CallCreateDirection
from ..models.call_create_direction import check_call_create_direction
from ..models.call_create_outcome_type_0 import CallCreateOutcomeType0
from ..models.call_create_outcome_type_0 import check_call_create_outcome_type_0
from ..models.call_create_status_type_0 import CallCreateStatusType0
from ..models.call_create_status_type_0 import check_call_create_status_type_0
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.call_create_customfields import CallCreateCustomfields





T = TypeVar("T", bound="CallCreate")



@_attrs_define
class CallCreate:
    """ 
        Attributes:
            direction (CallCreateDirection | Unset):  Default: 'inbound'.
            status (CallCreateStatusType0 | None | Unset): Defaults to `ended` when `endedAt` is given, else `in_progress`.
            from_number (None | str | Unset):
            to_number (None | str | Unset):
            started_at (datetime.datetime | None | Unset): Defaults to now.
            ended_at (datetime.datetime | None | Unset):
            duration_seconds (int | None | Unset): Computed from `startedAt` and `endedAt` when omitted.
            outcome (CallCreateOutcomeType0 | None | Unset):
            summary (None | str | Unset):
            lead_id (None | str | Unset):
            custom_fields (CallCreateCustomfields | Unset):
     """

    direction: CallCreateDirection | Unset = 'inbound'
    status: CallCreateStatusType0 | None | Unset = UNSET
    from_number: None | str | Unset = UNSET
    to_number: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    duration_seconds: int | None | Unset = UNSET
    outcome: CallCreateOutcomeType0 | None | Unset = UNSET
    summary: None | str | Unset = UNSET
    lead_id: None | str | Unset = UNSET
    custom_fields: CallCreateCustomfields | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.call_create_customfields import CallCreateCustomfields # noqa: PLC0415
        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction


        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
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

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

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

        lead_id: None | str | Unset
        if isinstance(self.lead_id, Unset):
            lead_id = UNSET
        else:
            lead_id = self.lead_id

        custom_fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = self.custom_fields.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
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
        if lead_id is not UNSET:
            field_dict["leadId"] = lead_id
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_create_customfields import CallCreateCustomfields # noqa: PLC0415
        d = dict(src_dict)
        _direction = d.pop("direction", UNSET)
        direction: CallCreateDirection | Unset
        if isinstance(_direction,  Unset):
            direction = UNSET
        else:
            direction = check_call_create_direction(_direction)




        def _parse_status(data: object) -> CallCreateStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_call_create_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallCreateStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


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


        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("startedAt", UNSET))


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


        def _parse_outcome(data: object) -> CallCreateOutcomeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = check_call_create_outcome_type_0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallCreateOutcomeType0 | None | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))


        def _parse_lead_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lead_id = _parse_lead_id(d.pop("leadId", UNSET))


        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: CallCreateCustomfields | Unset
        if isinstance(_custom_fields,  Unset):
            custom_fields = UNSET
        else:
            custom_fields = CallCreateCustomfields.from_dict(_custom_fields)




        call_create = cls(
            direction=direction,
            status=status,
            from_number=from_number,
            to_number=to_number,
            started_at=started_at,
            ended_at=ended_at,
            duration_seconds=duration_seconds,
            outcome=outcome,
            summary=summary,
            lead_id=lead_id,
            custom_fields=custom_fields,
        )

        return call_create

