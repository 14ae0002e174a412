"""Query-string filters shared by collections (time ranges)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from core.schemas import UtcDateTime


@dataclass(frozen=True, slots=True)
class CreatedRange:
    created_after: datetime | None
    created_before: datetime | None

    def apply(
        self,
        stmt: Select[Any],
        column: InstrumentedAttribute[datetime],
        *,
        never_earlier: Sequence[InstrumentedAttribute[datetime]] = (),
    ) -> Select[Any]:
        """``never_earlier``: columns that are never before ``column`` in the same row (a
        row's ``updated_at`` is set when it is inserted and only moves forward, so it is never
        before its ``created_at``). The lower bound holds for them too; restating it changes
        no result but lets a list sorted by one of them seek to the window instead of walking
        the workspace's whole history first (docs/operations/scale.md)."""
        if self.created_after is not None:
            stmt = stmt.where(column >= self.created_after)
            for later in never_earlier:
                stmt = stmt.where(later >= self.created_after)
        if self.created_before is not None:
            stmt = stmt.where(column < self.created_before)
        return stmt


async def created_range(
    created_after: Annotated[
        UtcDateTime | None, Query(alias="createdAfter", description="ISO 8601, inclusive.")
    ] = None,
    created_before: Annotated[
        UtcDateTime | None, Query(alias="createdBefore", description="ISO 8601, exclusive.")
    ] = None,
) -> CreatedRange:
    return CreatedRange(created_after, created_before)


def like_pattern(text: str) -> str:
    """A lower-cased ``%text%`` pattern with LIKE wildcards escaped (escape char ``\\``)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
