from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.sync_log_out_kind import check_sync_log_out_kind
from ..models.sync_log_out_kind import SyncLogOutKind
from ..models.sync_log_out_level import check_sync_log_out_level
from ..models.sync_log_out_level import SyncLogOutLevel
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="SyncLogOut")



@_attrs_define
class SyncLogOut:
    """ 
        Attributes:
            id (str):
            connection_id (str | Unset):
            level (SyncLogOutLevel | Unset):
            kind (SyncLogOutKind | Unset): `push`/`pull`: a sync step; `webhook`: a provider webhook; `auth`: connected or
                token refresh; `test`: `POST …/test`.
            object_type (None | str | Unset):
            processed (int | Unset):
            failed (int | Unset):
            provider_calls (int | Unset):
            duration_ms (int | Unset):
            message (str | Unset):
            created_at (datetime.datetime | Unset):
     """

    id: str
    connection_id: str | Unset = UNSET
    level: SyncLogOutLevel | Unset = UNSET
    kind: SyncLogOutKind | Unset = UNSET
    object_type: None | str | Unset = UNSET
    processed: int | Unset = UNSET
    failed: int | Unset = UNSET
    provider_calls: int | Unset = UNSET
    duration_ms: int | Unset = UNSET
    message: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        connection_id = self.connection_id

        level: str | Unset = UNSET
        if not isinstance(self.level, Unset):
            level = self.level


        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind


        object_type: None | str | Unset
        if isinstance(self.object_type, Unset):
            object_type = UNSET
        else:
            object_type = self.object_type

        processed = self.processed

        failed = self.failed

        provider_calls = self.provider_calls

        duration_ms = self.duration_ms

        message = self.message

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if connection_id is not UNSET:
            field_dict["connectionId"] = connection_id
        if level is not UNSET:
            field_dict["level"] = level
        if kind is not UNSET:
            field_dict["kind"] = kind
        if object_type is not UNSET:
            field_dict["objectType"] = object_type
        if processed is not UNSET:
            field_dict["processed"] = processed
        if failed is not UNSET:
            field_dict["failed"] = failed
        if provider_calls is not UNSET:
            field_dict["providerCalls"] = provider_calls
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if message is not UNSET:
            field_dict["message"] = message
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        connection_id = d.pop("connectionId", UNSET)

        _level = d.pop("level", UNSET)
        level: SyncLogOutLevel | Unset
        if isinstance(_level,  Unset):
            level = UNSET
        else:
            level = check_sync_log_out_level(_level)




        _kind = d.pop("kind", UNSET)
        kind: SyncLogOutKind | Unset
        if isinstance(_kind,  Unset):
            kind = UNSET
        else:
            kind = check_sync_log_out_kind(_kind)




        def _parse_object_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        object_type = _parse_object_type(d.pop("objectType", UNSET))


        processed = d.pop("processed", UNSET)

        failed = d.pop("failed", UNSET)

        provider_calls = d.pop("providerCalls", UNSET)

        duration_ms = d.pop("durationMs", UNSET)

        message = d.pop("message", UNSET)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        sync_log_out = cls(
            id=id,
            connection_id=connection_id,
            level=level,
            kind=kind,
            object_type=object_type,
            processed=processed,
            failed=failed,
            provider_calls=provider_calls,
            duration_ms=duration_ms,
            message=message,
            created_at=created_at,
        )


        sync_log_out.additional_properties = d
        return sync_log_out

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
