from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connection_update_status_type_0 import check_connection_update_status_type_0
from ..models.connection_update_status_type_0 import ConnectionUpdateStatusType0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.connection_update_field_mapping_type_0 import ConnectionUpdateFieldMappingType0
  from ..models.connection_update_settings_type_0 import ConnectionUpdateSettingsType0





T = TypeVar("T", bound="ConnectionUpdate")



@_attrs_define
class ConnectionUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            status (ConnectionUpdateStatusType0 | None | Unset): `paused` stops syncing (work keeps queueing); `active`
                resumes and pushes what queued meanwhile.
            concurrency_limit (int | None | Unset):
            field_mapping (ConnectionUpdateFieldMappingType0 | None | Unset): Hubwire field -> provider field overrides;
                replaces the whole mapping.
            settings (ConnectionUpdateSettingsType0 | None | Unset): Replaces the connector's options.
     """

    name: None | str | Unset = UNSET
    status: ConnectionUpdateStatusType0 | None | Unset = UNSET
    concurrency_limit: int | None | Unset = UNSET
    field_mapping: ConnectionUpdateFieldMappingType0 | None | Unset = UNSET
    settings: ConnectionUpdateSettingsType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_update_field_mapping_type_0 import ConnectionUpdateFieldMappingType0 # noqa: PLC0415
        from ..models.connection_update_settings_type_0 import ConnectionUpdateSettingsType0 # noqa: PLC0415
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        concurrency_limit: int | None | Unset
        if isinstance(self.concurrency_limit, Unset):
            concurrency_limit = UNSET
        else:
            concurrency_limit = self.concurrency_limit

        field_mapping: dict[str, Any] | None | Unset
        if isinstance(self.field_mapping, Unset):
            field_mapping = UNSET
        elif isinstance(self.field_mapping, ConnectionUpdateFieldMappingType0):
            field_mapping = self.field_mapping.to_dict()
        else:
            field_mapping = self.field_mapping

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, ConnectionUpdateSettingsType0):
            settings = self.settings.to_dict()
        else:
            settings = self.settings


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status
        if concurrency_limit is not UNSET:
            field_dict["concurrencyLimit"] = concurrency_limit
        if field_mapping is not UNSET:
            field_dict["fieldMapping"] = field_mapping
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_update_field_mapping_type_0 import ConnectionUpdateFieldMappingType0 # noqa: PLC0415
        from ..models.connection_update_settings_type_0 import ConnectionUpdateSettingsType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_status(data: object) -> ConnectionUpdateStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_connection_update_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionUpdateStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


        def _parse_concurrency_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        concurrency_limit = _parse_concurrency_limit(d.pop("concurrencyLimit", UNSET))


        def _parse_field_mapping(data: object) -> ConnectionUpdateFieldMappingType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                field_mapping_type_0 = ConnectionUpdateFieldMappingType0.from_dict(data)



                return field_mapping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionUpdateFieldMappingType0 | None | Unset, data)

        field_mapping = _parse_field_mapping(d.pop("fieldMapping", UNSET))


        def _parse_settings(data: object) -> ConnectionUpdateSettingsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = ConnectionUpdateSettingsType0.from_dict(data)



                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionUpdateSettingsType0 | None | Unset, data)

        settings = _parse_settings(d.pop("settings", UNSET))


        connection_update = cls(
            name=name,
            status=status,
            concurrency_limit=concurrency_limit,
            field_mapping=field_mapping,
            settings=settings,
        )

        return connection_update

