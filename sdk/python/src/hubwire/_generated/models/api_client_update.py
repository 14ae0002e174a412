from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_client_update_rate_limit_tier_type_0 import ApiClientUpdateRateLimitTierType0
from ..models.api_client_update_rate_limit_tier_type_0 import check_api_client_update_rate_limit_tier_type_0
from ..models.api_client_update_status_type_0 import ApiClientUpdateStatusType0
from ..models.api_client_update_status_type_0 import check_api_client_update_status_type_0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.api_client_update_metadata_type_0 import ApiClientUpdateMetadataType0





T = TypeVar("T", bound="ApiClientUpdate")



@_attrs_define
class ApiClientUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            description (None | str | Unset):
            website (None | str | Unset):
            logo_url (None | str | Unset):
            contact_email (None | str | Unset):
            redirect_uris (list[str] | None | Unset):
            status (ApiClientUpdateStatusType0 | None | Unset):
            rate_limit_tier (ApiClientUpdateRateLimitTierType0 | None | Unset):
            scopes (list[str] | None | Unset):
            metadata (ApiClientUpdateMetadataType0 | None | Unset):
     """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    contact_email: None | str | Unset = UNSET
    redirect_uris: list[str] | None | Unset = UNSET
    status: ApiClientUpdateStatusType0 | None | Unset = UNSET
    rate_limit_tier: ApiClientUpdateRateLimitTierType0 | None | Unset = UNSET
    scopes: list[str] | None | Unset = UNSET
    metadata: ApiClientUpdateMetadataType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_client_update_metadata_type_0 import ApiClientUpdateMetadataType0 # noqa: PLC0415
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

        contact_email: None | str | Unset
        if isinstance(self.contact_email, Unset):
            contact_email = UNSET
        else:
            contact_email = self.contact_email

        redirect_uris: list[str] | None | Unset
        if isinstance(self.redirect_uris, Unset):
            redirect_uris = UNSET
        elif isinstance(self.redirect_uris, list):
            redirect_uris = self.redirect_uris


        else:
            redirect_uris = self.redirect_uris

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        rate_limit_tier: None | str | Unset
        if isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = UNSET
        elif isinstance(self.rate_limit_tier, str):
            rate_limit_tier = self.rate_limit_tier
        else:
            rate_limit_tier = self.rate_limit_tier

        scopes: list[str] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, list):
            scopes = self.scopes


        else:
            scopes = self.scopes

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ApiClientUpdateMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if website is not UNSET:
            field_dict["website"] = website
        if logo_url is not UNSET:
            field_dict["logoUrl"] = logo_url
        if contact_email is not UNSET:
            field_dict["contactEmail"] = contact_email
        if redirect_uris is not UNSET:
            field_dict["redirectUris"] = redirect_uris
        if status is not UNSET:
            field_dict["status"] = status
        if rate_limit_tier is not UNSET:
            field_dict["rateLimitTier"] = rate_limit_tier
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_client_update_metadata_type_0 import ApiClientUpdateMetadataType0 # noqa: PLC0415
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


        def _parse_contact_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_email = _parse_contact_email(d.pop("contactEmail", UNSET))


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


        def _parse_status(data: object) -> ApiClientUpdateStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_api_client_update_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiClientUpdateStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


        def _parse_rate_limit_tier(data: object) -> ApiClientUpdateRateLimitTierType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rate_limit_tier_type_0 = check_api_client_update_rate_limit_tier_type_0(data)



                return rate_limit_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiClientUpdateRateLimitTierType0 | None | Unset, data)

        rate_limit_tier = _parse_rate_limit_tier(d.pop("rateLimitTier", UNSET))


        def _parse_scopes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = cast(list[str], data)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))


        def _parse_metadata(data: object) -> ApiClientUpdateMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ApiClientUpdateMetadataType0.from_dict(data)



                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiClientUpdateMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


        api_client_update = cls(
            name=name,
            description=description,
            website=website,
            logo_url=logo_url,
            contact_email=contact_email,
            redirect_uris=redirect_uris,
            status=status,
            rate_limit_tier=rate_limit_tier,
            scopes=scopes,
            metadata=metadata,
        )

        return api_client_update

