from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connection_out_status import check_connection_out_status
from ..models.connection_out_status import ConnectionOutStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.connection_out_fieldmapping import ConnectionOutFieldmapping
  from ..models.connection_out_settings import ConnectionOutSettings





T = TypeVar("T", bound="ConnectionOut")



@_attrs_define
class ConnectionOut:
    """ A connection as the API shows it: never its credentials.

        Attributes:
            id (str):
            connector (str):
            name (None | str):
            status (ConnectionOutStatus): `pending` (waiting for consent), `active`, `paused`, or `error` (the credentials
                stopped working: connect again).
            account_id (None | str): The provider account (HubSpot's portal id).
            concurrency_limit (int):
            field_mapping (ConnectionOutFieldmapping):
            settings (ConnectionOutSettings):
            last_error (None | str):
            activated_at (datetime.datetime | None):
            last_synced_at (datetime.datetime | None):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: str
    connector: str
    name: None | str
    status: ConnectionOutStatus
    account_id: None | str
    concurrency_limit: int
    field_mapping: ConnectionOutFieldmapping
    settings: ConnectionOutSettings
    last_error: None | str
    activated_at: datetime.datetime | None
    last_synced_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_out_fieldmapping import ConnectionOutFieldmapping # noqa: PLC0415
        from ..models.connection_out_settings import ConnectionOutSettings # noqa: PLC0415
        id = self.id

        connector = self.connector

        name: None | str
        name = self.name

        status: str = self.status

        account_id: None | str
        account_id = self.account_id

        concurrency_limit = self.concurrency_limit

        field_mapping = self.field_mapping.to_dict()

        settings = self.settings.to_dict()

        last_error: None | str
        last_error = self.last_error

        activated_at: None | str
        if isinstance(self.activated_at, datetime.datetime):
            activated_at = self.activated_at.isoformat()
        else:
            activated_at = self.activated_at

        last_synced_at: None | str
        if isinstance(self.last_synced_at, datetime.datetime):
            last_synced_at = self.last_synced_at.isoformat()
        else:
            last_synced_at = self.last_synced_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "connector": connector,
            "name": name,
            "status": status,
            "accountId": account_id,
            "concurrencyLimit": concurrency_limit,
            "fieldMapping": field_mapping,
            "settings": settings,
            "lastError": last_error,
            "activatedAt": activated_at,
            "lastSyncedAt": last_synced_at,
            "createdAt": created_at,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_out_fieldmapping import ConnectionOutFieldmapping # noqa: PLC0415
        from ..models.connection_out_settings import ConnectionOutSettings # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        connector = d.pop("connector")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        status = check_connection_out_status(d.pop("status"))




        def _parse_account_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account_id = _parse_account_id(d.pop("accountId"))


        concurrency_limit = d.pop("concurrencyLimit")

        field_mapping = ConnectionOutFieldmapping.from_dict(d.pop("fieldMapping"))




        settings = ConnectionOutSettings.from_dict(d.pop("settings"))




        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("lastError"))


        def _parse_activated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                activated_at_type_0 = datetime.datetime.fromisoformat(data)



                return activated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        activated_at = _parse_activated_at(d.pop("activatedAt"))


        def _parse_last_synced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_synced_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_synced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_synced_at = _parse_last_synced_at(d.pop("lastSyncedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        connection_out = cls(
            id=id,
            connector=connector,
            name=name,
            status=status,
            account_id=account_id,
            concurrency_limit=concurrency_limit,
            field_mapping=field_mapping,
            settings=settings,
            last_error=last_error,
            activated_at=activated_at,
            last_synced_at=last_synced_at,
            created_at=created_at,
            updated_at=updated_at,
        )


        connection_out.additional_properties = d
        return connection_out

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
