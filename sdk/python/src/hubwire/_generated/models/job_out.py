from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_out_status import check_job_out_status
from ..models.job_out_status import JobOutStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_error import JobError
  from ..models.job_out_input import JobOutInput
  from ..models.job_out_result_type_0 import JobOutResultType0





T = TypeVar("T", bound="JobOut")



@_attrs_define
class JobOut:
    """ 
        Attributes:
            id (str):
            type_ (str):
            status (JobOutStatus):
            progress (int): Percent done, 0-100.
            input_ (JobOutInput): What the job works on.
            result (JobOutResultType0 | None): Set once the job `succeeded`; its shape depends on `type`.
            error (JobError | None): Set once the job `failed`.
            callback_url (None | str): Receives a signed callback when it finishes.
            attempts (int): How many times a worker started the job.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
     """

    id: str
    type_: str
    status: JobOutStatus
    progress: int
    input_: JobOutInput
    result: JobOutResultType0 | None
    error: JobError | None
    callback_url: None | str
    attempts: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error import JobError # noqa: PLC0415
        from ..models.job_out_input import JobOutInput # noqa: PLC0415
        from ..models.job_out_result_type_0 import JobOutResultType0 # noqa: PLC0415
        id = self.id

        type_ = self.type_

        status: str = self.status

        progress = self.progress

        input_ = self.input_.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, JobOutResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        error: dict[str, Any] | None
        if isinstance(self.error, JobError):
            error = self.error.to_dict()
        else:
            error = self.error

        callback_url: None | str
        callback_url = self.callback_url

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "status": status,
            "progress": progress,
            "input": input_,
            "result": result,
            "error": error,
            "callbackUrl": callback_url,
            "attempts": attempts,
            "createdAt": created_at,
            "updatedAt": updated_at,
            "startedAt": started_at,
            "finishedAt": finished_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_error import JobError # noqa: PLC0415
        from ..models.job_out_input import JobOutInput # noqa: PLC0415
        from ..models.job_out_result_type_0 import JobOutResultType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        status = check_job_out_status(d.pop("status"))




        progress = d.pop("progress")

        input_ = JobOutInput.from_dict(d.pop("input"))




        def _parse_result(data: object) -> JobOutResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobOutResultType0.from_dict(data)



                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobOutResultType0 | None, data)

        result = _parse_result(d.pop("result"))


        def _parse_error(data: object) -> JobError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobError | None, data)

        error = _parse_error(d.pop("error"))


        def _parse_callback_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        callback_url = _parse_callback_url(d.pop("callbackUrl"))


        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("startedAt"))


        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finishedAt"))


        job_out = cls(
            id=id,
            type_=type_,
            status=status,
            progress=progress,
            input_=input_,
            result=result,
            error=error,
            callback_url=callback_url,
            attempts=attempts,
            created_at=created_at,
            updated_at=updated_at,
            started_at=started_at,
            finished_at=finished_at,
        )


        job_out.additional_properties = d
        return job_out

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
