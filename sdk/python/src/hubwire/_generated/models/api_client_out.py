from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_client_out_ratelimittier import ApiClientOutRatelimittier
from ..models.api_client_out_ratelimittier import check_api_client_out_ratelimittier
from ..models.api_client_out_status import ApiClientOutStatus
from ..models.api_client_out_status import check_api_client_out_status
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.api_client_out_metadata import ApiClientOutMetadata





T = TypeVar("T", bound="ApiClientOut")



@_attrs_define
class ApiClientOut:
    """ 
        Attributes:
            id (str):
            name (str | Unset):
            description (None | str | Unset):
            website (None | str | Unset):
            logo_url (None | str | Unset):
            contact_email (str | Unset):
            redirect_uris (list[str] | Unset):
            status (ApiClientOutStatus | Unset):
            rate_limit_tier (ApiClientOutRatelimittier | Unset):
            scopes (list[str] | Unset):
            metadata (ApiClientOutMetadata | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
     """

    id: str
    name: str | Unset = UNSET
    description: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    contact_email: str | Unset = UNSET
    redirect_uris: list[str] | Unset = UNSET
    status: ApiClientOutStatus | Unset = UNSET
    rate_limit_tier: ApiClientOutRatelimittier | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    metadata: ApiClientOutMetadata | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_client_out_metadata import ApiClientOutMetadata # noqa: PLC0415
        id = self.id

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

        contact_email = self.contact_email

        redirect_uris: list[str] | Unset = UNSET
        if not isinstance(self.redirect_uris, Unset):
            redirect_uris = self.redirect_uris



        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status


        rate_limit_tier: str | Unset = UNSET
        if not isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = self.rate_limit_tier


        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
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
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_client_out_metadata import ApiClientOutMetadata # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name", UNSET)

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


        contact_email = d.pop("contactEmail", UNSET)

        redirect_uris = cast(list[str], d.pop("redirectUris", UNSET))


        _status = d.pop("status", UNSET)
        status: ApiClientOutStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = check_api_client_out_status(_status)




        _rate_limit_tier = d.pop("rateLimitTier", UNSET)
        rate_limit_tier: ApiClientOutRatelimittier | Unset
        if isinstance(_rate_limit_tier,  Unset):
            rate_limit_tier = UNSET
        else:
            rate_limit_tier = check_api_client_out_ratelimittier(_rate_limit_tier)




        scopes = cast(list[str], d.pop("scopes", UNSET))


        _metadata = d.pop("metadata", UNSET)
        metadata: ApiClientOutMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = ApiClientOutMetadata.from_dict(_metadata)




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




        api_client_out = cls(
            id=id,
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
            created_at=created_at,
            updated_at=updated_at,
        )


        api_client_out.additional_properties = d
        return api_client_out

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
