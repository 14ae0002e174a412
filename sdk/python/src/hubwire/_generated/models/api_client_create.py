from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_client_create_ratelimittier import ApiClientCreateRatelimittier
from ..models.api_client_create_ratelimittier import check_api_client_create_ratelimittier
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.api_client_create_metadata import ApiClientCreateMetadata





T = TypeVar("T", bound="ApiClientCreate")



@_attrs_define
class ApiClientCreate:
    """ 
        Attributes:
            name (str):
            contact_email (str):
            description (None | str | Unset):
            website (None | str | Unset):
            logo_url (None | str | Unset):
            redirect_uris (list[str] | Unset):
            rate_limit_tier (ApiClientCreateRatelimittier | Unset):  Default: 'basic'.
            scopes (list[str] | Unset):
            metadata (ApiClientCreateMetadata | Unset):
     """

    name: str
    contact_email: str
    description: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    redirect_uris: list[str] | Unset = UNSET
    rate_limit_tier: ApiClientCreateRatelimittier | Unset = 'basic'
    scopes: list[str] | Unset = UNSET
    metadata: ApiClientCreateMetadata | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_client_create_metadata import ApiClientCreateMetadata # noqa: PLC0415
        name = self.name

        contact_email = self.contact_email

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        logo_url: None | str | Unset
        if isinstance(self.logo_url, Unset):
            logo_url = UNSET
        else:
            logo_url = self.logo_url

        redirect_uris: list[str] | Unset = UNSET
        if not isinstance(self.redirect_uris, Unset):
            redirect_uris = self.redirect_uris



        rate_limit_tier: str | Unset = UNSET
        if not isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = self.rate_limit_tier


        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "contactEmail": contact_email,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if website is not UNSET:
            field_dict["website"] = website
        if logo_url is not UNSET:
            field_dict["logoUrl"] = logo_url
        if redirect_uris is not UNSET:
            field_dict["redirectUris"] = redirect_uris
        if rate_limit_tier is not UNSET:
            field_dict["rateLimitTier"] = rate_limit_tier
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_client_create_metadata import ApiClientCreateMetadata # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        contact_email = d.pop("contactEmail")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))


        def _parse_logo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_url = _parse_logo_url(d.pop("logoUrl", UNSET))


        redirect_uris = cast(list[str], d.pop("redirectUris", UNSET))


        _rate_limit_tier = d.pop("rateLimitTier", UNSET)
        rate_limit_tier: ApiClientCreateRatelimittier | Unset
        if isinstance(_rate_limit_tier,  Unset):
            rate_limit_tier = UNSET
        else:
            rate_limit_tier = check_api_client_create_ratelimittier(_rate_limit_tier)




        scopes = cast(list[str], d.pop("scopes", UNSET))


        _metadata = d.pop("metadata", UNSET)
        metadata: ApiClientCreateMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = ApiClientCreateMetadata.from_dict(_metadata)




        api_client_create = cls(
            name=name,
            contact_email=contact_email,
            description=description,
            website=website,
            logo_url=logo_url,
            redirect_uris=redirect_uris,
            rate_limit_tier=rate_limit_tier,
            scopes=scopes,
            metadata=metadata,
        )

        return api_client_create

