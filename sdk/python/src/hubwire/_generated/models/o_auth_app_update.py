from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.o_auth_app_update_rate_limit_tier_type_0 import check_o_auth_app_update_rate_limit_tier_type_0
from ..models.o_auth_app_update_rate_limit_tier_type_0 import OAuthAppUpdateRateLimitTierType0
from ..models.o_auth_app_update_status_type_0 import check_o_auth_app_update_status_type_0
from ..models.o_auth_app_update_status_type_0 import OAuthAppUpdateStatusType0
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OAuthAppUpdate")



@_attrs_define
class OAuthAppUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            description (None | str | Unset):
            redirect_uris (list[str] | None | Unset):
            allowed_scopes (list[str] | None | Unset):
            logo_url (None | str | Unset):
            website (None | str | Unset):
            rate_limit_tier (None | OAuthAppUpdateRateLimitTierType0 | Unset):
            status (None | OAuthAppUpdateStatusType0 | Unset):
     """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    redirect_uris: list[str] | None | Unset = UNSET
    allowed_scopes: list[str] | None | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    rate_limit_tier: None | OAuthAppUpdateRateLimitTierType0 | Unset = UNSET
    status: None | OAuthAppUpdateStatusType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        redirect_uris: list[str] | None | Unset
        if isinstance(self.redirect_uris, Unset):
            redirect_uris = UNSET
        elif isinstance(self.redirect_uris, list):
            redirect_uris = self.redirect_uris


        else:
            redirect_uris = self.redirect_uris

        allowed_scopes: list[str] | None | Unset
        if isinstance(self.allowed_scopes, Unset):
            allowed_scopes = UNSET
        elif isinstance(self.allowed_scopes, list):
            allowed_scopes = self.allowed_scopes


        else:
            allowed_scopes = self.allowed_scopes

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

        rate_limit_tier: None | str | Unset
        if isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = UNSET
        elif isinstance(self.rate_limit_tier, str):
            rate_limit_tier = self.rate_limit_tier
        else:
            rate_limit_tier = self.rate_limit_tier

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if redirect_uris is not UNSET:
            field_dict["redirectUris"] = redirect_uris
        if allowed_scopes is not UNSET:
            field_dict["allowedScopes"] = allowed_scopes
        if logo_url is not UNSET:
            field_dict["logoUrl"] = logo_url
        if website is not UNSET:
            field_dict["website"] = website
        if rate_limit_tier is not UNSET:
            field_dict["rateLimitTier"] = rate_limit_tier
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_redirect_uris(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                redirect_uris_type_0 = cast(list[str], data)

                return redirect_uris_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        redirect_uris = _parse_redirect_uris(d.pop("redirectUris", UNSET))


        def _parse_allowed_scopes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_scopes_type_0 = cast(list[str], data)

                return allowed_scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_scopes = _parse_allowed_scopes(d.pop("allowedScopes", UNSET))


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


        def _parse_rate_limit_tier(data: object) -> None | OAuthAppUpdateRateLimitTierType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rate_limit_tier_type_0 = check_o_auth_app_update_rate_limit_tier_type_0(data)



                return rate_limit_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OAuthAppUpdateRateLimitTierType0 | Unset, data)

        rate_limit_tier = _parse_rate_limit_tier(d.pop("rateLimitTier", UNSET))


        def _parse_status(data: object) -> None | OAuthAppUpdateStatusType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_o_auth_app_update_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OAuthAppUpdateStatusType0 | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


        o_auth_app_update = cls(
            name=name,
            description=description,
            redirect_uris=redirect_uris,
            allowed_scopes=allowed_scopes,
            logo_url=logo_url,
            website=website,
            rate_limit_tier=rate_limit_tier,
            status=status,
        )

        return o_auth_app_update

