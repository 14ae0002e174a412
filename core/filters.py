"""Query-string filters shared by collections (time ranges)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


# What checking one candidate row costs against reading one posting-list entry of a trigram
# index (a few microseconds for a row on its own heap page, a few nanoseconds for an entry;
# measured on a million leads): the weight of selectivity below.
RECHECK_WEIGHT = 2_000
# Windows of up to this many trigrams: a longer one only adds posting lists to read.
MAX_WINDOW_TRIGRAMS = 8
_ASCII_WORD = re.compile(r"[a-z0-9]{3,}")


@dataclass(frozen=True, slots=True)
class TrigramFrequencies:
    """The share of rows holding each of a column's most common trigrams (PostgreSQL's
    statistics); any other trigram is rarer than ``floor``."""

    shares: Mapping[str, float]
    floor: float

    def of(self, trigram: str) -> float:
        return self.shares.get(trigram, self.floor)


def _lookup_cost(shares: list[float]) -> float:
    """Posting-list entries read plus candidate rows checked, as shares of the table. The
    trigrams of one substring go together, so the candidates are taken as the rarest
    trigram's share, narrowed by the square root of the next one's only."""
    ordered = sorted(shares)
    candidates = ordered[0] * (ordered[1] ** 0.5 if len(ordered) > 1 else 1.0)
    return sum(ordered) + RECHECK_WEIGHT * candidates


def rarest_part(term: str, frequencies: TrigramFrequencies) -> str:
    """The substring of ``term`` that a trigram index finds its rows through most cheaply.

    ``LIKE '%term%'`` makes the index read the posting list of every trigram of the term,
    and a trigram found in every row (``com`` of every email) has a list as long as the
    table. Any substring of the term is a necessary condition too: the one chosen keeps the
    posting lists short and still leaves few candidate rows to check. Only runs of ASCII
    letters and digits are considered, so Python's and PostgreSQL's ``lower()`` agree on
    them and the index holds them as plain trigrams; a term without one comes back whole."""
    lowered = term.lower()
    best, best_cost = lowered, float("inf")
    for word in _ASCII_WORD.findall(lowered):
        shares = [frequencies.of(word[i : i + 3]) for i in range(len(word) - 2)]
        for start in range(len(shares)):
            for size in range(1, min(MAX_WINDOW_TRIGRAMS, len(shares) - start) + 1):
                cost = _lookup_cost(shares[start : start + size])
                if cost < best_cost:
                    best, best_cost = word[start : start + size + 2], cost
    return best
