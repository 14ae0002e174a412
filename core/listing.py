"""List conventions shared by every collection: limit, offset or cursor, sort, fields."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Annotated, Any

import orjson
from fastapi import Query
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Select, and_, func, inspect, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import InvalidRequest
from core.responses import JsonResponse

# Deep offset pages make the database walk and drop every skipped row; past this, the
# cursor (which seeks straight to its place through the sort index) is the way on.
MAX_OFFSET = 10_000
# An exact count walks every matching row on every request (78 ms at 500,000 leads). Counting
# stops after this many; beyond it `total` is a lower bound and `totalIsExact` is false.
# (10,000 was tried: counting 10,000 matches of a `search` costs ~45 ms by itself.)
COUNT_BOUND = 1_000


@dataclass(frozen=True, slots=True)
class ListParams:
    limit: int
    offset: int | None
    cursor: str | None
    sort: str | None
    fields: str | None


FieldsParam = Annotated[
    str | None,
    Query(max_length=512, description="Comma-separated fields to return; `id` always is."),
]


async def list_params(
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page (1-100).")] = 20,
    offset: Annotated[
        int | None,
        Query(ge=0, description=f"Items to skip, up to {MAX_OFFSET:,}. Not with `cursor`."),
    ] = None,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="Opaque cursor from `pagination.nextCursor`."),
    ] = None,
    sort: Annotated[
        str | None,
        Query(max_length=64, description="Sort field, `-` prefix for descending."),
    ] = None,
    fields: FieldsParam = None,
) -> ListParams:
    if offset is not None and cursor is not None:
        raise InvalidRequest("Use either `offset` or `cursor`, not both.")
    if offset is not None and offset > MAX_OFFSET:
        raise InvalidRequest(
            f"`offset` goes up to {MAX_OFFSET:,}; to read further, pass `pagination.nextCursor`"
            " as `cursor`.",
            details={"param": "offset", "max": MAX_OFFSET, "use": "cursor"},
        )
    return ListParams(limit=limit, offset=offset, cursor=cursor, sort=sort, fields=fields)


@dataclass(frozen=True, slots=True)
class Sorting:
    """The fields a collection may be sorted by: API name -> non-null mapped column."""

    fields: Mapping[str, InstrumentedAttribute[Any]]
    id_column: InstrumentedAttribute[Any]
    default: str = "-createdAt"

    def resolve(self, requested: str | None) -> tuple[str, InstrumentedAttribute[Any], bool]:
        spec = requested or self.default
        descending = spec.startswith("-")
        name = spec.lstrip("-+")
        column = self.fields.get(name)
        if column is None:
            allowed = ", ".join(sorted(self.fields))
            raise InvalidRequest(
                f"Cannot sort by '{name}'.", details={"param": "sort", "allowed": allowed}
            )
        return ("-" if descending else "") + name, column, descending


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return datetime.fromisoformat(value["dt"])
    return value


def encode_cursor(sort: str, value: Any, row_id: str) -> str:
    raw = orjson.dumps({"s": sort, "v": _encode_value(value), "i": row_id})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(payload, dict) or payload.get("s") != sort:
            raise ValueError("cursor does not belong to this sort order")
        row_id = payload["i"]
        if not isinstance(row_id, str):
            raise ValueError("bad id")
        return _decode_value(payload["v"]), row_id
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidRequest(
            "The cursor is invalid or belongs to another sort order.", details={"param": "cursor"}
        ) from exc


@dataclass(frozen=True, slots=True)
class PageResult:
    items: Sequence[Any]
    limit: int
    offset: int | None
    next_cursor: str | None
    has_more: bool
    total: int
    total_is_exact: bool = True

    def with_items(self, items: Sequence[Any]) -> PageResult:
        """The same page with its rows mapped to another shape."""
        return replace(self, items=items)


def _ordering(key: Any, id_column: Any, descending: bool) -> tuple[Any, Any]:
    """The sort key, then the id (ties), both in the requested direction."""
    if descending:
        return key.desc(), id_column.desc()
    return key.asc(), id_column.asc()


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    sorting: Sorting,
    params: ListParams,
    *,
    filter_first: bool = False,
    plain_rows: bool = False,
) -> PageResult:
    """Runs a filtered select as one page (offset or keyset) plus its (bounded) total.

    ``filter_first``: sort through an expression no index holds, so the database fetches the
    matching rows through their filter's index and sorts them, instead of walking the sort
    column's index until enough rows match. For a caller that knows the walk would cross
    most of the workspace before the first match (docs/operations/scale.md). Only the ids are
    sorted, then the page's rows are read: an index holding the filter's and the sort's
    columns serves the sort without reading the table.

    ``plain_rows``: the page's items are dicts of the entity's mapped columns rather than
    ORM objects, for a list returned as stored: building and reading ORM objects was a
    fifth of a list request's CPU (docs/operations/performance.md)."""
    sort, column, descending = sorting.resolve(params.sort)
    id_column = sorting.id_column
    key: Any = func.coalesce(column, column) if filter_first else column
    ordered = stmt.order_by(*_ordering(key, id_column, descending))
    if params.cursor is not None:
        value, last_id = decode_cursor(params.cursor, sort)
        if descending:
            after = or_(column < value, and_(column == value, id_column < last_id))
        else:
            after = or_(column > value, and_(column == value, id_column > last_id))
        ordered = ordered.where(after)
    elif params.offset:
        ordered = ordered.offset(params.offset)
    # One extra row tells whether another page exists without a second query.
    page = ordered.limit(params.limit + 1)
    if filter_first:
        ids = page.with_only_columns(id_column).scalar_subquery()
        page = select(id_column.class_).where(id_column.in_(ids))
        page = page.order_by(*_ordering(column, id_column, descending))
    rows: list[Any]
    counted: int | None = None
    if plain_rows:
        columns = _mapped_columns(stmt.column_descriptions[0]["entity"])
        # The bounded total rides along as a column (PostgreSQL computes an uncorrelated
        # subquery once): one round trip for the page and its total.
        total_column = _bounded_count_select(stmt, COUNT_BOUND).scalar_subquery().label("_total")
        selected = page.with_only_columns(*columns, total_column, maintain_column_froms=True)
        rows = []
        for row in (await session.execute(selected)).mappings():
            item = dict(row)
            counted = item.pop("_total")
            rows.append(item)
    else:
        rows = list((await session.execute(page)).scalars().all())
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        if plain_rows:
            next_cursor = encode_cursor(sort, last[column.key], last["id"])
        else:
            next_cursor = encode_cursor(sort, getattr(last, column.key), last.id)
    skipped = (params.offset or 0) if params.cursor is None else None
    if skipped is not None and not has_more and (rows or not skipped):
        # The page reaches the end: it is its own count.
        total, exact = skipped + len(rows), True
    else:
        if counted is not None:
            total, exact = (counted, True) if counted <= COUNT_BOUND else (COUNT_BOUND, False)
        else:
            total, exact = await bounded_count(session, stmt, COUNT_BOUND)
        if not exact and skipped is not None:
            total = max(total, skipped + len(rows) + int(has_more))
    return PageResult(
        items=rows,
        limit=params.limit,
        offset=None if params.cursor is not None else (params.offset or 0),
        next_cursor=next_cursor,
        has_more=has_more,
        total=total,
        total_is_exact=exact,
    )


@cache
def _mapped_columns(entity: type[Any]) -> tuple[Any, ...]:
    """What selects the entity's mapped columns under their attribute names: its table as
    one element when every column is named as its attribute (SQLAlchemy coerces each
    element of a select on every build: one instead of a dozen), else the attributes."""
    attrs = inspect(entity).column_attrs
    table = inspect(entity).local_table
    if len(attrs) == len(table.c) and all(a.key == a.columns[0].name for a in attrs):
        return (table,)
    return tuple(getattr(entity, attr.key) for attr in attrs)


async def bounded_count(
    session: AsyncSession, stmt: Select[Any], bound: int = COUNT_BOUND
) -> tuple[int, bool]:
    """How many rows ``stmt`` matches, counting no further than ``bound``: ``(count, exact)``.

    Selecting a constant instead of the entity lets PostgreSQL answer from the index alone."""
    counted = int(await session.scalar(_bounded_count_select(stmt, bound)) or 0)
    return (counted, True) if counted <= bound else (bound, False)


def _bounded_count_select(stmt: Select[Any], bound: int) -> Select[Any]:
    rows: Select[Any] = (
        stmt.order_by(None)
        .with_only_columns(literal_column("1"), maintain_column_froms=True)
        .limit(bound + 1)
    )
    return select(func.count()).select_from(rows.subquery())


def field_selection(model: type[BaseModel], fields: str | None) -> set[str] | None:
    """Maps ``fields=id,email`` to attribute names, refusing unknown ones with a 400."""
    if not fields:
        return None
    by_alias = {(info.alias or name): name for name, info in model.model_fields.items()}
    chosen = {"id"}
    unknown = []
    for raw in fields.split(","):
        name = raw.strip()
        if not name:
            continue
        if name in by_alias:
            chosen.add(by_alias[name])
        else:
            unknown.append(name)
    if unknown:
        raise InvalidRequest(
            f"Unknown field(s): {', '.join(unknown)}.",
            details={"param": "fields", "allowed": sorted(by_alias)},
        )
    return chosen


def resource_response(
    model: type[BaseModel], obj: Any, fields: str | None = None, status_code: int = 200
) -> JsonResponse:
    include = field_selection(model, fields)
    item = model.model_validate(obj).model_dump(mode="json", by_alias=True, include=include)
    return JsonResponse(item, status_code=status_code)


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def page_response(model: type[BaseModel], page: PageResult, fields: str | None) -> JsonResponse:
    """The page as ``{"data": [...], "pagination": {...}}``: its items validated as one list
    and encoded to JSON straight from the validated models (no dicts in between)."""
    include = field_selection(model, fields)
    adapter = _list_adapter(model)
    items = adapter.validate_python(page.items, from_attributes=True)
    data = adapter.dump_json(
        items, by_alias=True, include=None if include is None else {"__all__": include}
    )
    pagination = {
        "limit": page.limit,
        "offset": page.offset,
        "nextCursor": page.next_cursor,
        "hasMore": page.has_more,
        "total": page.total,
        "totalIsExact": page.total_is_exact,
    }
    body = b'{"data":' + data + b',"pagination":' + orjson.dumps(pagination) + b"}"
    return JsonResponse(body)
