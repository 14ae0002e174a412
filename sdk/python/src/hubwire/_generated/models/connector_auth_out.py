from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connector_auth_out_type import check_connector_auth_out_type
from ..models.connector_auth_out_type import ConnectorAuthOutType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ConnectorAuthOut")



@_attrs_define
class ConnectorAuthOut:
    """ 
        Attributes:
            type_ (ConnectorAuthOutType): `oauth2`: the user consents at the provider; `api_key`: the user pastes a key.
            authorize_url (None | str | Unset): OAuth 2.0 only.
            token_url (None | str | Unset): OAuth 2.0 only.
            scopes (list[str] | Unset): Scopes Hubwire asks for.
            header (None | str | Unset): API keys only: where the key is sent.
     """

    type_: ConnectorAuthOutType
    authorize_url: None | str | Unset = UNSET
    token_url: None | str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    header: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        authorize_url: None | str | Unset
        if isinstance(self.authorize_url, Unset):
            authorize_url = UNSET
        else:
            authorize_url = self.authorize_url

        token_url: None | str | Unset
        if isinstance(self.token_url, Unset):
            token_url = UNSET
        else:
            token_url = self.token_url

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        header: None | str | Unset
        if isinstance(self.header, Unset):
            header = UNSET
        else:
            header = self.header


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if authorize_url is not UNSET:
            field_dict["authorizeUrl"] = authorize_url
        if token_url is not UNSET:
            field_dict["tokenUrl"] = token_url
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if header is not UNSET:
            field_dict["header"] = header

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_connector_auth_out_type(d.pop("type"))




        def _parse_authorize_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        authorize_url = _parse_authorize_url(d.pop("authorizeUrl", UNSET))


        def _parse_token_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token_url = _parse_token_url(d.pop("tokenUrl", UNSET))


        scopes = cast(list[str], d.pop("scopes", UNSET))


        def _parse_header(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        header = _parse_header(d.pop("header", UNSET))


        connector_auth_out = cls(
            type_=type_,
            authorize_url=authorize_url,
            token_url=token_url,
            scopes=scopes,
            header=header,
        )


        connector_auth_out.additional_properties = d
        return connector_auth_out

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
