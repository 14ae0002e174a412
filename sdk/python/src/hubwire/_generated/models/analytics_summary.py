from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.call_stats import CallStats
  from ..models.chat_stats import ChatStats
  from ..models.lead_stats import LeadStats
  from ..models.period_out import PeriodOut





T = TypeVar("T", bound="AnalyticsSummary")



@_attrs_define
class AnalyticsSummary:
    """ 
        Attributes:
            period (PeriodOut):
            leads (LeadStats):
            calls (CallStats):
            chat (ChatStats):
     """

    period: PeriodOut
    leads: LeadStats
    calls: CallStats
    chat: ChatStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.call_stats import CallStats # noqa: PLC0415
        from ..models.chat_stats import ChatStats # noqa: PLC0415
        from ..models.lead_stats import LeadStats # noqa: PLC0415
        from ..models.period_out import PeriodOut # noqa: PLC0415
        period = self.period.to_dict()

        leads = self.leads.to_dict()

        calls = self.calls.to_dict()

        chat = self.chat.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "leads": leads,
            "calls": calls,
            "chat": chat,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_stats import CallStats # noqa: PLC0415
        from ..models.chat_stats import ChatStats # noqa: PLC0415
        from ..models.lead_stats import LeadStats # noqa: PLC0415
        from ..models.period_out import PeriodOut # noqa: PLC0415
        d = dict(src_dict)
        period = PeriodOut.from_dict(d.pop("period"))




        leads = LeadStats.from_dict(d.pop("leads"))




        calls = CallStats.from_dict(d.pop("calls"))




        chat = ChatStats.from_dict(d.pop("chat"))




        analytics_summary = cls(
            period=period,
            leads=leads,
            calls=calls,
            chat=chat,
        )


        analytics_summary.additional_properties = d
        return analytics_summary

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
