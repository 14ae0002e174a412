from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.o_auth_app_create_clienttype import check_o_auth_app_create_clienttype
from ..models.o_auth_app_create_clienttype import OAuthAppCreateClienttype
from ..models.o_auth_app_create_ratelimittier import check_o_auth_app_create_ratelimittier
from ..models.o_auth_app_create_ratelimittier import OAuthAppCreateRatelimittier
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OAuthAppCreate")



@_attrs_define
class OAuthAppCreate:
    """ 
        Attributes:
            name (str):
            redirect_uris (list[str]):
            allowed_scopes (list[str]):
            description (None | str | Unset):
            client_type (OAuthAppCreateClienttype | Unset):  Default: 'confidential'.
            logo_url (None | str | Unset):
            website (None | str | Unset):
            rate_limit_tier (OAuthAppCreateRatelimittier | Unset):  Default: 'basic'.
     """

    name: str
    redirect_uris: list[str]
    allowed_scopes: list[str]
    description: None | str | Unset = UNSET
    client_type: OAuthAppCreateClienttype | Unset = 'confidential'
    logo_url: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    rate_limit_tier: OAuthAppCreateRatelimittier | Unset = 'basic'





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        redirect_uris = self.redirect_uris



        allowed_scopes = self.allowed_scopes



        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        client_type: str | Unset = UNSET
        if not isinstance(self.client_type, Unset):
            client_type = self.client_type


        logo_url: None | str | Unset
        if isinstance(self.logo_url, Unset):
            logo_url = UNSET
        else:
            logo_url = self.logo_url

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        rate_limit_tier: str | Unset = UNSET
        if not isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = self.rate_limit_tier



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "redirectUris": redirect_uris,
            "allowedScopes": allowed_scopes,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if client_type is not UNSET:
            field_dict["clientType"] = client_type
        if logo_url is not UNSET:
            field_dict["logoUrl"] = logo_url
        if website is not UNSET:
            field_dict["website"] = website
        if rate_limit_tier is not UNSET:
            field_dict["rateLimitTier"] = rate_limit_tier

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        redirect_uris = cast(list[str], d.pop("redirectUris"))


        allowed_scopes = cast(list[str], d.pop("allowedScopes"))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        _client_type = d.pop("clientType", UNSET)
        client_type: OAuthAppCreateClienttype | Unset
        if isinstance(_client_type,  Unset):
            client_type = UNSET
        else:
            client_type = check_o_auth_app_create_clienttype(_client_type)




        def _parse_logo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_url = _parse_logo_url(d.pop("logoUrl", UNSET))


        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))


        _rate_limit_tier = d.pop("rateLimitTier", UNSET)
        rate_limit_tier: OAuthAppCreateRatelimittier | Unset
        if isinstance(_rate_limit_tier,  Unset):
            rate_limit_tier = UNSET
        else:
            rate_limit_tier = check_o_auth_app_create_ratelimittier(_rate_limit_tier)




        o_auth_app_create = cls(
            name=name,
            redirect_uris=redirect_uris,
            allowed_scopes=allowed_scopes,
            description=description,
            client_type=client_type,
            logo_url=logo_url,
            website=website,
            rate_limit_tier=rate_limit_tier,
        )

        return o_auth_app_create

