from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_key_create_environment import ApiKeyCreateEnvironment
from ..models.api_key_create_environment import check_api_key_create_environment
from ..models.api_key_create_tier_type_0 import ApiKeyCreateTierType0
from ..models.api_key_create_tier_type_0 import check_api_key_create_tier_type_0
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ApiKeyCreate")



@_attrs_define
class ApiKeyCreate:
    """ 
        Attributes:
            client_id (str):
            name (str):
            scopes (list[str]):
            environment (ApiKeyCreateEnvironment | Unset):  Default: 'live'.
            tier (ApiKeyCreateTierType0 | None | Unset): Defaults to the client's tier.
            expires_at (datetime.datetime | None | Unset):
            expires_in_days (int | None | Unset):
            rate_limit_override (int | None | Unset): Requests per minute, replacing the tier's.
            ip_allowlist (list[str] | Unset): IP addresses or CIDR networks.
     """

    client_id: str
    name: str
    scopes: list[str]
    environment: ApiKeyCreateEnvironment | Unset = 'live'
    tier: ApiKeyCreateTierType0 | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    expires_in_days: int | None | Unset = UNSET
    rate_limit_override: int | None | Unset = UNSET
    ip_allowlist: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        name = self.name

        scopes = self.scopes



        environment: str | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment


        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, str):
            tier = self.tier
        else:
            tier = self.tier

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        expires_in_days: int | None | Unset
        if isinstance(self.expires_in_days, Unset):
            expires_in_days = UNSET
        else:
            expires_in_days = self.expires_in_days

        rate_limit_override: int | None | Unset
        if isinstance(self.rate_limit_override, Unset):
            rate_limit_override = UNSET
        else:
            rate_limit_override = self.rate_limit_override

        ip_allowlist: list[str] | Unset = UNSET
        if not isinstance(self.ip_allowlist, Unset):
            ip_allowlist = self.ip_allowlist




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "clientId": client_id,
            "name": name,
            "scopes": scopes,
        })
        if environment is not UNSET:
            field_dict["environment"] = environment
        if tier is not UNSET:
            field_dict["tier"] = tier
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if expires_in_days is not UNSET:
            field_dict["expiresInDays"] = expires_in_days
        if rate_limit_override is not UNSET:
            field_dict["rateLimitOverride"] = rate_limit_override
        if ip_allowlist is not UNSET:
            field_dict["ipAllowlist"] = ip_allowlist

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_id = d.pop("clientId")

        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))


        _environment = d.pop("environment", UNSET)
        environment: ApiKeyCreateEnvironment | Unset
        if isinstance(_environment,  Unset):
            environment = UNSET
        else:
            environment = check_api_key_create_environment(_environment)




        def _parse_tier(data: object) -> ApiKeyCreateTierType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = check_api_key_create_tier_type_0(data)



                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiKeyCreateTierType0 | None | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))


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


        def _parse_expires_in_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_in_days = _parse_expires_in_days(d.pop("expiresInDays", UNSET))


        def _parse_rate_limit_override(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit_override = _parse_rate_limit_override(d.pop("rateLimitOverride", UNSET))


        ip_allowlist = cast(list[str], d.pop("ipAllowlist", UNSET))


        api_key_create = cls(
            client_id=client_id,
            name=name,
            scopes=scopes,
            environment=environment,
            tier=tier,
            expires_at=expires_at,
            expires_in_days=expires_in_days,
            rate_limit_override=rate_limit_override,
            ip_allowlist=ip_allowlist,
        )

        return api_key_create

