from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ConnectionMetrics")



@_attrs_define
class ConnectionMetrics:
    """ 
        Attributes:
            records_pushed (int): Records pushed to the provider (all time).
            records_pulled (int): Records pulled from the provider (all time).
            failed (int): Records whose push or pull failed.
            provider_calls (int): HTTP calls made to the provider.
            pending_items (int): Push work waiting (e.g. while paused).
            failed_items (int): Push work that gave up after its retries.
            last_synced_at (datetime.datetime | None):
            error_rate (float | None): failed / (pushed + pulled + failed), or null before any sync step.
            average_duration_ms (float | None): Mean duration of a sync step.
     """

    records_pushed: int
    records_pulled: int
    failed: int
    provider_calls: int
    pending_items: int
    failed_items: int
    last_synced_at: datetime.datetime | None
    error_rate: float | None
    average_duration_ms: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        records_pushed = self.records_pushed

        records_pulled = self.records_pulled

        failed = self.failed

        provider_calls = self.provider_calls

        pending_items = self.pending_items

        failed_items = self.failed_items

        last_synced_at: None | str
        if isinstance(self.last_synced_at, datetime.datetime):
            last_synced_at = self.last_synced_at.isoformat()
        else:
            last_synced_at = self.last_synced_at

        error_rate: float | None
        error_rate = self.error_rate

        average_duration_ms: float | None
        average_duration_ms = self.average_duration_ms


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "recordsPushed": records_pushed,
            "recordsPulled": records_pulled,
            "failed": failed,
            "providerCalls": provider_calls,
            "pendingItems": pending_items,
            "failedItems": failed_items,
            "lastSyncedAt": last_synced_at,
            "errorRate": error_rate,
            "averageDurationMs": average_duration_ms,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        records_pushed = d.pop("recordsPushed")

        records_pulled = d.pop("recordsPulled")

        failed = d.pop("failed")

        provider_calls = d.pop("providerCalls")

        pending_items = d.pop("pendingItems")

        failed_items = d.pop("failedItems")

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


        def _parse_error_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        error_rate = _parse_error_rate(d.pop("errorRate"))


        def _parse_average_duration_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_duration_ms = _parse_average_duration_ms(d.pop("averageDurationMs"))


        connection_metrics = cls(
            records_pushed=records_pushed,
            records_pulled=records_pulled,
            failed=failed,
            provider_calls=provider_calls,
            pending_items=pending_items,
            failed_items=failed_items,
            last_synced_at=last_synced_at,
            error_rate=error_rate,
            average_duration_ms=average_duration_ms,
        )


        connection_metrics.additional_properties = d
        return connection_metrics

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
