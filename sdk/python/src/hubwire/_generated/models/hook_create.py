from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="HookCreate")



@_attrs_define
class HookCreate:
    """ What Zapier sends when a Zap with a Hubwire trigger is turned on.

        Attributes:
            target_url (str): Where Hubwire POSTs each event.
            event (str): An event type from `GET /v1/webhook-events`, or several separated by commas
                (`lead.qualified,lead.converted`); `lead.*` matches every lead event.
     """

    target_url: str
    event: str





    def to_dict(self) -> dict[str, Any]:
        target_url = self.target_url

        event = self.event


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "targetUrl": target_url,
            "event": event,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        target_url = d.pop("targetUrl")

        event = d.pop("event")

        hook_create = cls(
            target_url=target_url,
            event=event,
        )

        return hook_create

