from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_key_out_environment import ApiKeyOutEnvironment
from ..models.api_key_out_environment import check_api_key_out_environment
from ..models.api_key_out_status import ApiKeyOutStatus
from ..models.api_key_out_status import check_api_key_out_status
from ..models.api_key_out_tier_type_0 import ApiKeyOutTierType0
from ..models.api_key_out_tier_type_0 import check_api_key_out_tier_type_0
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ApiKeyOut")



@_attrs_define
class ApiKeyOut:
    """ 
        Attributes:
            id (str):
            client_id (str | Unset):
            name (str | Unset):
            prefix (str | Unset):
            masked_key (str | Unset):
            environment (ApiKeyOutEnvironment | Unset):
            status (ApiKeyOutStatus | Unset):
            scopes (list[str] | Unset):
            tier (ApiKeyOutTierType0 | None | Unset):
            rate_limit_override (int | None | Unset):
            ip_allowlist (list[str] | Unset):
            expires_at (datetime.datetime | None | Unset):
            last_used_at (datetime.datetime | None | Unset):
            previous_secret_expires_at (datetime.datetime | None | Unset):
            revoked_at (datetime.datetime | None | Unset):
            created_at (datetime.datetime | Unset):
     """

    id: str
    client_id: str | Unset = UNSET
    name: str | Unset = UNSET
    prefix: str | Unset = UNSET
    masked_key: str | Unset = UNSET
    environment: ApiKeyOutEnvironment | Unset = UNSET
    status: ApiKeyOutStatus | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    tier: ApiKeyOutTierType0 | None | Unset = UNSET
    rate_limit_override: int | None | Unset = UNSET
    ip_allowlist: list[str] | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    last_used_at: datetime.datetime | None | Unset = UNSET
    previous_secret_expires_at: datetime.datetime | None | Unset = UNSET
    revoked_at: datetime.datetime | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        client_id = self.client_id

        name = self.name

        prefix = self.prefix

        masked_key = self.masked_key

        environment: str | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status


        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, str):
            tier = self.tier
        else:
            tier = self.tier

        rate_limit_override: int | None | Unset
        if isinstance(self.rate_limit_override, Unset):
            rate_limit_override = UNSET
        else:
            rate_limit_override = self.rate_limit_override

        ip_allowlist: list[str] | Unset = UNSET
        if not isinstance(self.ip_allowlist, Unset):
            ip_allowlist = self.ip_allowlist



        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        last_used_at: None | str | Unset
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        elif isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        previous_secret_expires_at: None | str | Unset
        if isinstance(self.previous_secret_expires_at, Unset):
            previous_secret_expires_at = UNSET
        elif isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        elif isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if name is not UNSET:
            field_dict["name"] = name
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if masked_key is not UNSET:
            field_dict["maskedKey"] = masked_key
        if environment is not UNSET:
            field_dict["environment"] = environment
        if status is not UNSET:
            field_dict["status"] = status
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if tier is not UNSET:
            field_dict["tier"] = tier
        if rate_limit_override is not UNSET:
            field_dict["rateLimitOverride"] = rate_limit_override
        if ip_allowlist is not UNSET:
            field_dict["ipAllowlist"] = ip_allowlist
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if last_used_at is not UNSET:
            field_dict["lastUsedAt"] = last_used_at
        if previous_secret_expires_at is not UNSET:
            field_dict["previousSecretExpiresAt"] = previous_secret_expires_at
        if revoked_at is not UNSET:
            field_dict["revokedAt"] = revoked_at
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        client_id = d.pop("clientId", UNSET)

        name = d.pop("name", UNSET)

        prefix = d.pop("prefix", UNSET)

        masked_key = d.pop("maskedKey", UNSET)

        _environment = d.pop("environment", UNSET)
        environment: ApiKeyOutEnvironment | Unset
        if isinstance(_environment,  Unset):
            environment = UNSET
        else:
            environment = check_api_key_out_environment(_environment)




        _status = d.pop("status", UNSET)
        status: ApiKeyOutStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = check_api_key_out_status(_status)




        scopes = cast(list[str], d.pop("scopes", UNSET))


        def _parse_tier(data: object) -> ApiKeyOutTierType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = check_api_key_out_tier_type_0(data)



                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiKeyOutTierType0 | None | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))


        def _parse_rate_limit_override(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit_override = _parse_rate_limit_override(d.pop("rateLimitOverride", UNSET))


        ip_allowlist = cast(list[str], d.pop("ipAllowlist", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))


        def _parse_last_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("lastUsedAt", UNSET))


        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previousSecretExpiresAt", UNSET))


        def _parse_revoked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt", UNSET))


        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        api_key_out = cls(
            id=id,
            client_id=client_id,
            name=name,
            prefix=prefix,
            masked_key=masked_key,
            environment=environment,
            status=status,
            scopes=scopes,
            tier=tier,
            rate_limit_override=rate_limit_override,
            ip_allowlist=ip_allowlist,
            expires_at=expires_at,
            last_used_at=last_used_at,
            previous_secret_expires_at=previous_secret_expires_at,
            revoked_at=revoked_at,
            created_at=created_at,
        )


        api_key_out.additional_properties = d
        return api_key_out

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
