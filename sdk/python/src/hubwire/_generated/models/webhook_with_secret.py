from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.retry_config_out import RetryConfigOut
  from ..models.webhook_health import WebhookHealth





T = TypeVar("T", bound="WebhookWithSecret")



@_attrs_define
class WebhookWithSecret:
    """ 
        Attributes:
            id (str):
            url (str | Unset):
            description (None | str | Unset):
            events (list[str] | Unset):
            active (bool | Unset):
            disabled_reason (None | str | Unset): Why Hubwire switched the subscription off (410, sustained failures).
            retry_config (None | RetryConfigOut | Unset):
            health (WebhookHealth | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
            secret (str | Unset): The signing secret (`whsec_…`).
     """

    id: str
    url: str | Unset = UNSET
    description: None | str | Unset = UNSET
    events: list[str] | Unset = UNSET
    active: bool | Unset = UNSET
    disabled_reason: None | str | Unset = UNSET
    retry_config: None | RetryConfigOut | Unset = UNSET
    health: WebhookHealth | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    secret: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.retry_config_out import RetryConfigOut # noqa: PLC0415
        from ..models.webhook_health import WebhookHealth # noqa: PLC0415
        id = self.id

        url = self.url

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = self.events



        active = self.active

        disabled_reason: None | str | Unset
        if isinstance(self.disabled_reason, Unset):
            disabled_reason = UNSET
        else:
            disabled_reason = self.disabled_reason

        retry_config: dict[str, Any] | None | Unset
        if isinstance(self.retry_config, Unset):
            retry_config = UNSET
        elif isinstance(self.retry_config, RetryConfigOut):
            retry_config = self.retry_config.to_dict()
        else:
            retry_config = self.retry_config

        health: dict[str, Any] | Unset = UNSET
        if not isinstance(self.health, Unset):
            health = self.health.to_dict()

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        secret = self.secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if url is not UNSET:
            field_dict["url"] = url
        if description is not UNSET:
            field_dict["description"] = description
        if events is not UNSET:
            field_dict["events"] = events
        if active is not UNSET:
            field_dict["active"] = active
        if disabled_reason is not UNSET:
            field_dict["disabledReason"] = disabled_reason
        if retry_config is not UNSET:
            field_dict["retryConfig"] = retry_config
        if health is not UNSET:
            field_dict["health"] = health
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retry_config_out import RetryConfigOut # noqa: PLC0415
        from ..models.webhook_health import WebhookHealth # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        events = cast(list[str], d.pop("events", UNSET))


        active = d.pop("active", UNSET)

        def _parse_disabled_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabledReason", UNSET))


        def _parse_retry_config(data: object) -> None | RetryConfigOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retry_config_type_0 = RetryConfigOut.from_dict(data)



                return retry_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetryConfigOut | Unset, data)

        retry_config = _parse_retry_config(d.pop("retryConfig", UNSET))


        _health = d.pop("health", UNSET)
        health: WebhookHealth | Unset
        if isinstance(_health,  Unset):
            health = UNSET
        else:
            health = WebhookHealth.from_dict(_health)




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




        secret = d.pop("secret", UNSET)

        webhook_with_secret = cls(
            id=id,
            url=url,
            description=description,
            events=events,
            active=active,
            disabled_reason=disabled_reason,
            retry_config=retry_config,
            health=health,
            created_at=created_at,
            updated_at=updated_at,
            secret=secret,
        )


        webhook_with_secret.additional_properties = d
        return webhook_with_secret

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
