from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.call_update_direction_type_0 import CallUpdateDirectionType0
from ..models.call_update_direction_type_0 import check_call_update_direction_type_0
from ..models.call_update_outcome_type_0 import CallUpdateOutcomeType0
from ..models.call_update_outcome_type_0 import check_call_update_outcome_type_0
from ..models.call_update_status_type_0 import CallUpdateStatusType0
from ..models.call_update_status_type_0 import check_call_update_status_type_0
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.call_update_custom_fields_type_0 import CallUpdateCustomFieldsType0





T = TypeVar("T", bound="CallUpdate")



@_attrs_define
class CallUpdate:
    """ 
        Attributes:
            direction (CallUpdateDirectionType0 | None | Unset):
            status (CallUpdateStatusType0 | None | Unset):
            from_number (None | str | Unset):
            to_number (None | str | Unset):
            started_at (datetime.datetime | None | Unset):
            ended_at (datetime.datetime | None | Unset): Setting it recomputes `durationSeconds` and ends the call unless
                `status` is given too.
            duration_seconds (int | None | Unset):
            outcome (CallUpdateOutcomeType0 | None | Unset):
            summary (None | str | Unset):
            lead_id (None | str | Unset):
            custom_fields (CallUpdateCustomFieldsType0 | None | Unset):
     """

    direction: CallUpdateDirectionType0 | None | Unset = UNSET
    status: CallUpdateStatusType0 | None | Unset = UNSET
    from_number: None | str | Unset = UNSET
    to_number: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    duration_seconds: int | None | Unset = UNSET
    outcome: CallUpdateOutcomeType0 | None | Unset = UNSET
    summary: None | str | Unset = UNSET
    lead_id: None | str | Unset = UNSET
    custom_fields: CallUpdateCustomFieldsType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.call_update_custom_fields_type_0 import CallUpdateCustomFieldsType0 # noqa: PLC0415
        direction: None | str | Unset
        if isinstance(self.direction, Unset):
            direction = UNSET
        elif isinstance(self.direction, str):
            direction = self.direction
        else:
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

        custom_fields: dict[str, Any] | None | Unset
        if isinstance(self.custom_fields, Unset):
            custom_fields = UNSET
        elif isinstance(self.custom_fields, CallUpdateCustomFieldsType0):
            custom_fields = self.custom_fields.to_dict()
        else:
            custom_fields = self.custom_fields


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
        from ..models.call_update_custom_fields_type_0 import CallUpdateCustomFieldsType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_direction(data: object) -> CallUpdateDirectionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                direction_type_0 = check_call_update_direction_type_0(data)



                return direction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallUpdateDirectionType0 | None | Unset, data)

        direction = _parse_direction(d.pop("direction", UNSET))


        def _parse_status(data: object) -> CallUpdateStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_call_update_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallUpdateStatusType0 | None | Unset, data)

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


        def _parse_outcome(data: object) -> CallUpdateOutcomeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = check_call_update_outcome_type_0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallUpdateOutcomeType0 | None | Unset, data)

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


        def _parse_custom_fields(data: object) -> CallUpdateCustomFieldsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                custom_fields_type_0 = CallUpdateCustomFieldsType0.from_dict(data)



                return custom_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallUpdateCustomFieldsType0 | None | Unset, data)

        custom_fields = _parse_custom_fields(d.pop("customFields", UNSET))


        call_update = cls(
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

        return call_update

