from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RetryConfig")



@_attrs_define
class RetryConfig:
    """ A subscription's own schedule: ``maxRetries`` tries after the first, waiting
    ``retryDelay`` seconds and multiplying the wait by ``backoffMultiplier`` each time
    (one wait is at most 24 h); ``timeout`` seconds per try.

        Attributes:
            max_retries (int | Unset):  Default: 3.
            retry_delay (float | Unset):  Default: 60.0.
            backoff_multiplier (float | Unset):  Default: 2.0.
            timeout (float | None | Unset):
     """

    max_retries: int | Unset = 3
    retry_delay: float | Unset = 60.0
    backoff_multiplier: float | Unset = 2.0
    timeout: float | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        max_retries = self.max_retries

        retry_delay = self.retry_delay

        backoff_multiplier = self.backoff_multiplier

        timeout: float | None | Unset
        if isinstance(self.timeout, Unset):
            timeout = UNSET
        else:
            timeout = self.timeout


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if max_retries is not UNSET:
            field_dict["maxRetries"] = max_retries
        if retry_delay is not UNSET:
            field_dict["retryDelay"] = retry_delay
        if backoff_multiplier is not UNSET:
            field_dict["backoffMultiplier"] = backoff_multiplier
        if timeout is not UNSET:
            field_dict["timeout"] = timeout

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_retries = d.pop("maxRetries", UNSET)

        retry_delay = d.pop("retryDelay", UNSET)

        backoff_multiplier = d.pop("backoffMultiplier", UNSET)

        def _parse_timeout(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        timeout = _parse_timeout(d.pop("timeout", UNSET))


        retry_config = cls(
            max_retries=max_retries,
            retry_delay=retry_delay,
            backoff_multiplier=backoff_multiplier,
            timeout=timeout,
        )

        return retry_config

