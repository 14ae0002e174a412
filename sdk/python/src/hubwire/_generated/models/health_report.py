from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.health_report_status import check_health_report_status
from ..models.health_report_status import HealthReportStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.health_checks import HealthChecks





T = TypeVar("T", bound="HealthReport")



@_attrs_define
class HealthReport:
    """ 
        Attributes:
            status (HealthReportStatus): `degraded` when a configured dependency failed its check.
            version (str):
            time (datetime.datetime): Server time (UTC).
            checks (HealthChecks):
     """

    status: HealthReportStatus
    version: str
    time: datetime.datetime
    checks: HealthChecks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.health_checks import HealthChecks # noqa: PLC0415
        status: str = self.status

        version = self.version

        time = self.time.isoformat()

        checks = self.checks.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "version": version,
            "time": time,
            "checks": checks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_checks import HealthChecks # noqa: PLC0415
        d = dict(src_dict)
        status = check_health_report_status(d.pop("status"))




        version = d.pop("version")

        time = datetime.datetime.fromisoformat(d.pop("time"))




        checks = HealthChecks.from_dict(d.pop("checks"))




        health_report = cls(
            status=status,
            version=version,
            time=time,
            checks=checks,
        )


        health_report.additional_properties = d
        return health_report

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
