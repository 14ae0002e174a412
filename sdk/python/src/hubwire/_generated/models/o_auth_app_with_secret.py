from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.o_auth_app_with_secret_clienttype import check_o_auth_app_with_secret_clienttype
from ..models.o_auth_app_with_secret_clienttype import OAuthAppWithSecretClienttype
from ..models.o_auth_app_with_secret_ratelimittier import check_o_auth_app_with_secret_ratelimittier
from ..models.o_auth_app_with_secret_ratelimittier import OAuthAppWithSecretRatelimittier
from ..models.o_auth_app_with_secret_status import check_o_auth_app_with_secret_status
from ..models.o_auth_app_with_secret_status import OAuthAppWithSecretStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="OAuthAppWithSecret")



@_attrs_define
class OAuthAppWithSecret:
    """ 
        Attributes:
            id (str):
            client_id (str | Unset): The OAuth `client_id` (the app id).
            name (str | Unset):
            description (None | str | Unset):
            client_type (OAuthAppWithSecretClienttype | Unset):
            redirect_uris (list[str] | Unset):
            allowed_scopes (list[str] | Unset):
            logo_url (None | str | Unset):
            website (None | str | Unset):
            rate_limit_tier (OAuthAppWithSecretRatelimittier | Unset):
            status (OAuthAppWithSecretStatus | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
            client_secret (None | str | Unset): Shown only here (confidential apps); only a digest is stored.
     """

    id: str
    client_id: str | Unset = UNSET
    name: str | Unset = UNSET
    description: None | str | Unset = UNSET
    client_type: OAuthAppWithSecretClienttype | Unset = UNSET
    redirect_uris: list[str] | Unset = UNSET
    allowed_scopes: list[str] | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    website: None | str | Unset = UNSET
    rate_limit_tier: OAuthAppWithSecretRatelimittier | Unset = UNSET
    status: OAuthAppWithSecretStatus | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    client_secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        client_id = self.client_id

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        client_type: str | Unset = UNSET
        if not isinstance(self.client_type, Unset):
            client_type = self.client_type


        redirect_uris: list[str] | Unset = UNSET
        if not isinstance(self.redirect_uris, Unset):
            redirect_uris = self.redirect_uris



        allowed_scopes: list[str] | Unset = UNSET
        if not isinstance(self.allowed_scopes, Unset):
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

        rate_limit_tier: str | Unset = UNSET
        if not isinstance(self.rate_limit_tier, Unset):
            rate_limit_tier = self.rate_limit_tier


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status


        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        client_secret: None | str | Unset
        if isinstance(self.client_secret, Unset):
            client_secret = UNSET
        else:
            client_secret = self.client_secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if client_type is not UNSET:
            field_dict["clientType"] = client_type
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
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if client_secret is not UNSET:
            field_dict["clientSecret"] = client_secret

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        client_id = d.pop("clientId", UNSET)

        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        _client_type = d.pop("clientType", UNSET)
        client_type: OAuthAppWithSecretClienttype | Unset
        if isinstance(_client_type,  Unset):
            client_type = UNSET
        else:
            client_type = check_o_auth_app_with_secret_clienttype(_client_type)




        redirect_uris = cast(list[str], d.pop("redirectUris", UNSET))


        allowed_scopes = cast(list[str], d.pop("allowedScopes", UNSET))


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
        rate_limit_tier: OAuthAppWithSecretRatelimittier | Unset
        if isinstance(_rate_limit_tier,  Unset):
            rate_limit_tier = UNSET
        else:
            rate_limit_tier = check_o_auth_app_with_secret_ratelimittier(_rate_limit_tier)




        _status = d.pop("status", UNSET)
        status: OAuthAppWithSecretStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = check_o_auth_app_with_secret_status(_status)




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




        def _parse_client_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_secret = _parse_client_secret(d.pop("clientSecret", UNSET))


        o_auth_app_with_secret = cls(
            id=id,
            client_id=client_id,
            name=name,
            description=description,
            client_type=client_type,
            redirect_uris=redirect_uris,
            allowed_scopes=allowed_scopes,
            logo_url=logo_url,
            website=website,
            rate_limit_tier=rate_limit_tier,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            client_secret=client_secret,
        )


        o_auth_app_with_secret.additional_properties = d
        return o_auth_app_with_secret

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
