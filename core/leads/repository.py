from __future__ import annotations

import time

from sqlalchemy import ColumnElement, Select, Text, and_, cast, func, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.filters import TrigramFrequencies, like_pattern, rarest_part
from core.leads.models import Lead
from core.leads.schemas import LeadFilters
from core.listing import Sorting

LEAD_SORTING = Sorting(
    fields={"createdAt": Lead.created_at, "updatedAt": Lead.updated_at, "status": Lead.status},
    id_column=Lead.id,
)


# The columns `search` matches, each with a trigram index and trigram statistics on
# PostgreSQL (migration 0021: ``leads_<column>_trigrams``).
SEARCHED = (Lead.name, Lead.email, Lead.company)

TRIGRAM_STATISTICS = text(
    "SELECT statistics_name, most_common_elems::text::text[], most_common_elem_freqs"
    " FROM pg_stats_ext_exprs WHERE schemaname = current_schema() AND tablename = 'leads'"
    " AND most_common_elems IS NOT NULL AND statistics_name = ANY(:names)"
)
TRIGRAM_STATISTICS_NAMES = [f"leads_{column.key}_trigrams" for column in SEARCHED]
# They change only when the table is analysed; each pooled connection keeps what it read
# this long (a stale choice costs a little speed, never a wrong result).
TRIGRAM_STATISTICS_SECONDS = 300.0
STATISTICS_KEY = "lead_trigram_frequencies"


def _contains(column: InstrumentedAttribute[str | None], text: str) -> ColumnElement[bool]:
    return func.lower(column).like(like_pattern(text), escape="\\")


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, lead_id: str) -> Lead | None:
        return await self.session.scalar(
            select(Lead).where(Lead.workspace_id == workspace_id, Lead.id == lead_id)
        )

    async def query(self, workspace_id: str, filters: LeadFilters) -> Select[Lead]:
        stmt = select(Lead).where(Lead.workspace_id == workspace_id)
        if filters.status is not None:
            stmt = stmt.where(Lead.status == filters.status)
        if filters.source is not None:
            stmt = stmt.where(Lead.source == filters.source)
        if filters.email is not None:
            stmt = stmt.where(func.lower(Lead.email) == filters.email.lower())
        if filters.tag is not None:
            if self.session.get_bind().dialect.name == "postgresql":
                # Containment over the JSONB cast, the expression the GIN index holds.
                stmt = stmt.where(cast(Lead.tags, JSONB).contains([filters.tag]))
            else:
                # A JSON array of quote-free strings: match the quoted element in its text.
                tagged = cast(Lead.tags, Text).contains(f'"{filters.tag}"', autoescape=True)
                stmt = stmt.where(tagged)
        if filters.search:
            stmt = stmt.where(await self._search(filters.search))
        return filters.created.apply(stmt, Lead.created_at, never_earlier=[Lead.updated_at])

    async def _search(self, term: str) -> ColumnElement[bool]:
        """``term`` as a substring of name, email or company, any case.

        lower(column) LIKE '%text%' is what the trigram indexes serve on PostgreSQL. There,
        each column is looked up by the part of the term with the rarest trigrams (its
        statistics say which), and the whole term is then checked on those rows only, as
        ``column ILIKE '%term%'``, which the indexes (on ``lower(column)``) do not serve but
        the planner can estimate from the column's statistics: else the index would read
        the posting list of every trigram of the term, the most common ones as long as the
        table (docs/operations/scale.md)."""
        whole = [_contains(column, term) for column in SEARCHED]
        frequencies = await self._trigram_frequencies()
        if not frequencies:
            return or_(*whole)
        parts = [
            rarest_part(term, frequencies[column.key]) if column.key in frequencies else term
            for column in SEARCHED
        ]
        if all(part == term.lower() for part in parts):
            return or_(*whole)
        probes = [_contains(column, part) for column, part in zip(SEARCHED, parts, strict=True)]
        exact = [column.ilike(like_pattern(term), escape="\\") for column in SEARCHED]
        return and_(or_(*probes), or_(*exact))

    async def _trigram_frequencies(self) -> dict[str, TrigramFrequencies]:
        """Each searched column's common trigrams, from PostgreSQL's statistics (refreshed by
        every ANALYZE of the table); empty elsewhere, or before the first ANALYZE."""
        if self.session.get_bind().dialect.name != "postgresql":
            return {}
        kept = (await self.session.connection()).info
        cached: tuple[float, dict[str, TrigramFrequencies]] | None = kept.get(STATISTICS_KEY)
        if cached and cached[1] and time.monotonic() - cached[0] < TRIGRAM_STATISTICS_SECONDS:
            return cached[1]
        found = {}
        for name, trigrams, shares in await self.session.execute(
            TRIGRAM_STATISTICS, {"names": TRIGRAM_STATISTICS_NAMES}
        ):
            # The shares end with three summary numbers, the lowest share listed first.
            floor = shares[len(trigrams)]
            column = name.removeprefix("leads_").removesuffix("_trigrams")
            found[column] = TrigramFrequencies(dict(zip(trigrams, shares, strict=False)), floor)
        kept[STATISTICS_KEY] = (time.monotonic(), found)
        return found

    async def find_by_contact(
        self, workspace_id: str, email: str | None, phone: str | None
    ) -> Lead | None:
        """The workspace's oldest lead with ``email`` (any case), else with ``phone``."""
        base = select(Lead).where(Lead.workspace_id == workspace_id).order_by(Lead.created_at)
        if email:
            found = await self.session.scalar(base.where(func.lower(Lead.email) == email.lower()))
            if found is not None:
                return found
        if phone:
            return await self.session.scalar(base.where(Lead.phone == phone))
        return None

    def add(self, lead: Lead) -> None:
        self.session.add(lead)

    async def delete(self, lead: Lead) -> None:
        await self.session.delete(lead)
