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





T = TypeVar("T", bound="WebhookUpdate")



@_attrs_define
class WebhookUpdate:
    """ 
        Attributes:
            url (None | str | Unset):
            events (list[str] | None | Unset):
            description (None | str | Unset):
            active (bool | None | Unset): `true` re-enables a subscription Hubwire disabled.
            retry_config (None | RetryConfig | Unset): `null` returns to the default schedule.
     """

    url: None | str | Unset = UNSET
    events: list[str] | None | Unset = UNSET
    description: None | str | Unset = UNSET
    active: bool | None | Unset = UNSET
    retry_config: None | RetryConfig | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.retry_config import RetryConfig # noqa: PLC0415
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = self.events


        else:
            events = self.events

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
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
        })
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
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
        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))


        def _parse_events(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = cast(list[str], data)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))


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


        webhook_update = cls(
            url=url,
            events=events,
            description=description,
            active=active,
            retry_config=retry_config,
        )

        return webhook_update

