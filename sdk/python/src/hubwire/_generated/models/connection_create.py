from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.connection_create_settings import ConnectionCreateSettings





T = TypeVar("T", bound="ConnectionCreate")



@_attrs_define
class ConnectionCreate:
    """ 
        Attributes:
            connector (str): The connector's slug (see `GET /v1/connectors`).
            name (None | str | Unset):
            redirect_url (None | str | Unset): OAuth connectors: where the browser is sent after the consent, with
                `?connection=<id>&status=active|denied|error` added. Without it the callback shows a small page.
            api_key (None | str | Unset): API-key connectors: the key, checked with the provider before the connection is
                saved (stored encrypted, never shown again).
            settings (ConnectionCreateSettings | Unset): The connector's non-secret options.
            concurrency_limit (int | Unset): How many sync steps may run at once (1-10). Default: 2.
     """

    connector: str
    name: None | str | Unset = UNSET
    redirect_url: None | str | Unset = UNSET
    api_key: None | str | Unset = UNSET
    settings: ConnectionCreateSettings | Unset = UNSET
    concurrency_limit: int | Unset = 2





    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_create_settings import ConnectionCreateSettings # noqa: PLC0415
        connector = self.connector

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        redirect_url: None | str | Unset
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        concurrency_limit = self.concurrency_limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "connector": connector,
        })
        if name is not UNSET:
            field_dict["name"] = name
        if redirect_url is not UNSET:
            field_dict["redirectUrl"] = redirect_url
        if api_key is not UNSET:
            field_dict["apiKey"] = api_key
        if settings is not UNSET:
            field_dict["settings"] = settings
        if concurrency_limit is not UNSET:
            field_dict["concurrencyLimit"] = concurrency_limit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_create_settings import ConnectionCreateSettings # noqa: PLC0415
        d = dict(src_dict)
        connector = d.pop("connector")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_redirect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirectUrl", UNSET))


        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("apiKey", UNSET))


        _settings = d.pop("settings", UNSET)
        settings: ConnectionCreateSettings | Unset
        if isinstance(_settings,  Unset):
            settings = UNSET
        else:
            settings = ConnectionCreateSettings.from_dict(_settings)




        concurrency_limit = d.pop("concurrencyLimit", UNSET)

        connection_create = cls(
            connector=connector,
            name=name,
            redirect_url=redirect_url,
            api_key=api_key,
            settings=settings,
            concurrency_limit=concurrency_limit,
        )

        return connection_create

