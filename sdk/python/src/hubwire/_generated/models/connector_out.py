from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.connector_auth_out import ConnectorAuthOut
  from ..models.connector_object_out import ConnectorObjectOut
  from ..models.connector_rate_limit_out import ConnectorRateLimitOut





T = TypeVar("T", bound="ConnectorOut")



@_attrs_define
class ConnectorOut:
    """ 
        Attributes:
            slug (str):
            title (str):
            description (str):
            auth (ConnectorAuthOut):
            events (list[str]): The Hubwire event types the connector subscribes to.
            objects (list[ConnectorObjectOut]):
            rate_limits (list[ConnectorRateLimitOut]): The provider's limits.
            webhooks (bool): Whether the provider's inbound webhooks are supported.
     """

    slug: str
    title: str
    description: str
    auth: ConnectorAuthOut
    events: list[str]
    objects: list[ConnectorObjectOut]
    rate_limits: list[ConnectorRateLimitOut]
    webhooks: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.connector_auth_out import ConnectorAuthOut # noqa: PLC0415
        from ..models.connector_object_out import ConnectorObjectOut # noqa: PLC0415
        from ..models.connector_rate_limit_out import ConnectorRateLimitOut # noqa: PLC0415
        slug = self.slug

        title = self.title

        description = self.description

        auth = self.auth.to_dict()

        events = self.events



        objects = []
        for objects_item_data in self.objects:
            objects_item = objects_item_data.to_dict()
            objects.append(objects_item)



        rate_limits = []
        for rate_limits_item_data in self.rate_limits:
            rate_limits_item = rate_limits_item_data.to_dict()
            rate_limits.append(rate_limits_item)



        webhooks = self.webhooks


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "slug": slug,
            "title": title,
            "description": description,
            "auth": auth,
            "events": events,
            "objects": objects,
            "rateLimits": rate_limits,
            "webhooks": webhooks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connector_auth_out import ConnectorAuthOut # noqa: PLC0415
        from ..models.connector_object_out import ConnectorObjectOut # noqa: PLC0415
        from ..models.connector_rate_limit_out import ConnectorRateLimitOut # noqa: PLC0415
        d = dict(src_dict)
        slug = d.pop("slug")

        title = d.pop("title")

        description = d.pop("description")

        auth = ConnectorAuthOut.from_dict(d.pop("auth"))




        events = cast(list[str], d.pop("events"))


        objects = []
        _objects = d.pop("objects")
        for objects_item_data in (_objects):
            objects_item = ConnectorObjectOut.from_dict(objects_item_data)



            objects.append(objects_item)


        rate_limits = []
        _rate_limits = d.pop("rateLimits")
        for rate_limits_item_data in (_rate_limits):
            rate_limits_item = ConnectorRateLimitOut.from_dict(rate_limits_item_data)



            rate_limits.append(rate_limits_item)


        webhooks = d.pop("webhooks")

        connector_out = cls(
            slug=slug,
            title=title,
            description=description,
            auth=auth,
            events=events,
            objects=objects,
            rate_limits=rate_limits,
            webhooks=webhooks,
        )


        connector_out.additional_properties = d
        return connector_out

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
