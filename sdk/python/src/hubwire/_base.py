"""Shared plumbing of the resource namespaces: bodies, idempotency keys, pagination."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

import httpx

from ._errors import APIConnectionError, APITimeoutError
from ._generated.models.pagination import Pagination
from ._generated.types import Response, Unset

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
M = TypeVar("M", bound="_FromDict")

# A generated operation's ``sync_detailed`` and ``asyncio_detailed`` functions.
Operation = Callable[..., Response[Any]]
AsyncOperation = Callable[..., Awaitable[Response[Any]]]


class _FromDict(Protocol):
    @classmethod
    def from_dict(cls: type[M], src_dict: Mapping[str, Any]) -> M: ...


class PageLike(Protocol[T_co]):
    """A generated ``Page_*`` model: ``data`` plus ``pagination``."""

    @property
    def data(self) -> Sequence[T_co]: ...

    @property
    def pagination(self) -> Pagination: ...


_SNAKE = re.compile(r"_([a-z0-9])")


def camel(name: str) -> str:
    return _SNAKE.sub(lambda m: m.group(1).upper(), name)


def to_body(model: type[M], data: M | Mapping[str, Any] | None, fields: Mapping[str, Any]) -> M:
    """A generated request model from a model instance, a mapping and/or keyword fields.

    Keys may be snake_case (``custom_fields``) or the API's camelCase (``customFields``)."""
    if isinstance(data, model):
        if fields:
            raise TypeError("pass either a model instance or fields, not both")
        return data
    merged: dict[str, Any] = {}
    for key, value in {**dict(data or {}), **fields}.items():  # type: ignore[arg-type]
        merged[camel(key)] = value
    return model.from_dict(merged)


def new_idempotency_key(given: str | None = None) -> str:
    """One key per logical POST: every retry of that POST sends the same one."""
    return given or f"hwsdk_{uuid.uuid4().hex}"


def without_none(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments a caller passed, without those left at ``None``."""
    return {k: v for k, v in fields.items() if v is not None}


def to_date(value: datetime.date | str) -> datetime.date:
    """A day as a ``date``, from a ``date``, a ``datetime`` (its date) or ``"YYYY-MM-DD"``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def list_params(filters: Mapping[str, Any]) -> dict[str, Any]:
    """List filters as the generated functions name them (``type`` is ``type_``)."""
    params = {k: v for k, v in filters.items() if v is not None}
    if "type" in params:
        params["type_"] = params.pop("type")
    return params


@contextmanager
def transport_errors() -> Iterator[None]:
    """httpx's transport errors (after the retries) as SDK errors."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"request timed out: {exc}") from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(f"connection failed: {exc}") from exc


def _next_cursor(pagination: Pagination) -> str | None:
    cursor = pagination.next_cursor
    if isinstance(cursor, Unset) or not cursor or not pagination.has_more:
        return None
    return cursor


class Paginator(Generic[T]):
    """Iterates every item across pages, following ``pagination.nextCursor``."""

    def __init__(self, fetch: Callable[[str | None], PageLike[T]]) -> None:
        self._fetch = fetch

    def pages(self) -> Iterator[PageLike[T]]:
        cursor: str | None = None
        while True:
            page = self._fetch(cursor)
            yield page
            cursor = _next_cursor(page.pagination)
            if cursor is None:
                return

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.data

    def first_page(self) -> PageLike[T]:
        return self._fetch(None)


class AsyncPaginator(Generic[T]):
    """``async for`` over every item across pages, following ``pagination.nextCursor``."""

    def __init__(self, fetch: Callable[[str | None], Awaitable[PageLike[T]]]) -> None:
        self._fetch = fetch

    async def pages(self) -> AsyncIterator[PageLike[T]]:
        cursor: str | None = None
        while True:
            page = await self._fetch(cursor)
            yield page
            cursor = _next_cursor(page.pagination)
            if cursor is None:
                return

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.data:
                yield item

    async def first_page(self) -> PageLike[T]:
        return await self._fetch(None)
