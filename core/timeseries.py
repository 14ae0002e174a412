"""Time ranges and time buckets computed in SQL, for both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, literal_column
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.database import utcnow
from core.errors import InvalidRequest
from core.schemas import as_utc

GroupBy = Literal["hour", "day"]

MAX_RANGE = timedelta(days=366)
# Hourly series are capped so one response holds at most ~750 buckets.
MAX_HOURLY_RANGE = timedelta(days=31)

_STEP: dict[str, timedelta] = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
_LABEL: dict[str, str] = {"hour": "%Y-%m-%dT%H:00:00Z", "day": "%Y-%m-%d"}


def resolve_range(
    date_from: datetime | None, date_to: datetime | None, default_days: int = 30
) -> tuple[datetime, datetime]:
    """``[dateFrom, dateTo)`` in UTC; by default the ``default_days`` ending now."""
    end = as_utc(date_to) if date_to is not None else utcnow()
    try:
        start = as_utc(date_from) if date_from is not None else end - timedelta(days=default_days)
    except OverflowError:
        raise InvalidRequest(
            "dateTo is too early to count back the default range from; pass dateFrom.",
            details={"param": "dateTo"},
        ) from None
    if start >= end:
        raise InvalidRequest("dateFrom must be before dateTo.", details={"param": "dateFrom"})
    if end - start > MAX_RANGE:
        raise InvalidRequest("The range may span at most 366 days.", details={"param": "dateFrom"})
    return start, end


def check_grouping(start: datetime, end: datetime, group_by: GroupBy) -> None:
    """Refuses a series with too many buckets (hourly over more than 31 days)."""
    if group_by == "hour" and end - start > MAX_HOURLY_RANGE:
        raise InvalidRequest(
            "groupBy=hour allows a range of at most 31 days; use groupBy=day.",
            details={"param": "groupBy", "maxDays": MAX_HOURLY_RANGE.days},
        )


def bucket_labels(start: datetime, end: datetime, group_by: GroupBy) -> list[str]:
    """Every bucket label that ``[start, end)`` touches, in order, in ``time_bucket``'s format."""
    cursor = as_utc(start).replace(minute=0, second=0, microsecond=0)
    if group_by == "day":
        cursor = cursor.replace(hour=0)
    end = as_utc(end)
    labels: list[str] = []
    while cursor < end:
        labels.append(cursor.strftime(_LABEL[group_by]))
        cursor += _STEP[group_by]
    return labels


def time_bucket(
    session: AsyncSession,
    column: ColumnElement[Any] | InstrumentedAttribute[Any],
    group_by: GroupBy,
) -> ColumnElement[str]:
    """A text label per bucket: ``2026-01-01T10:00:00Z`` for hours, ``2026-01-01`` for days."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        utc = func.timezone(literal_column("'UTC'"), column)
        if group_by == "hour":
            return func.to_char(func.date_trunc("hour", utc), 'YYYY-MM-DD"T"HH24:00:00"Z"')
        return func.to_char(func.date_trunc("day", utc), "YYYY-MM-DD")
    # SQLite keeps UTC timestamps as ISO text (see core.database.UTCDateTime).
    if group_by == "hour":
        return func.strftime("%Y-%m-%dT%H:00:00Z", column)
    return func.strftime("%Y-%m-%d", column)
