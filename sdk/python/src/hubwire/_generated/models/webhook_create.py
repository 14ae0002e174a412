from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.retry_config import RetryConfig





T = TypeVar("T", bound="WebhookCreate")



@_attrs_define
class WebhookCreate:
    """ 
        Attributes:
            url (str):
            events (list[str]): Event types, `lead.*` for every lead event, or `*` for all of them.
            description (None | str | Unset):
            active (bool | Unset):  Default: True.
            retry_config (None | RetryConfig | Unset):
     """

    url: str
    events: list[str]
    description: None | str | Unset = UNSET
    active: bool | Unset = True
    retry_config: None | RetryConfig | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.retry_config import RetryConfig # noqa: PLC0415
        url = self.url

        events = self.events



        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        active = self.active

        retry_config: dict[str, Any] | None | Unset
        if isinstance(self.retry_config, Unset):
            retry_config = UNSET
        elif isinstance(self.retry_config, RetryConfig):
            retry_config = self.retry_config.to_dict()
        else:
            retry_config = self.retry_config


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "url": url,
            "events": events,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if active is not UNSET:
            field_dict["active"] = active
        if retry_config is not UNSET:
            field_dict["retryConfig"] = retry_config

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retry_config import RetryConfig # noqa: PLC0415
        d = dict(src_dict)
        url = d.pop("url")

        events = cast(list[str], d.pop("events"))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        active = d.pop("active", UNSET)

        def _parse_retry_config(data: object) -> None | RetryConfig | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retry_config_type_0 = RetryConfig.from_dict(data)



                return retry_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetryConfig | Unset, data)

        retry_config = _parse_retry_config(d.pop("retryConfig", UNSET))


        webhook_create = cls(
            url=url,
            events=events,
            description=description,
            active=active,
            retry_config=retry_config,
        )

        return webhook_create

