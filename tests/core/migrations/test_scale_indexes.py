"""Every documented filter of leads, calls and events stays cheap as the workspace grows:
the queries the list services really run (the page and the bounded count) are run under
``EXPLAIN ANALYZE`` and no scan in them may read more than a small part of the workspace.

Why "rows read" and not "no Seq Scan node": a page or a count has a LIMIT, and when most rows
match (the unfiltered feed, `direction=outbound`), a sequential scan that stops after the
LIMIT's worth of matches is the cheapest plan and the planner rightly takes it; it reads
about as many rows as it returns. What must never happen is a scan that walks the workspace
- a filter without a usable index, or a query rewritten into a form its index cannot serve
(``lower(email)`` against a plain ``email`` index, a text match over the tags, a LIKE
without trigram indexes). That reads every one of the 20,000 rows and fails here.

The workspace gets 20,000 rows of each (next to a small second workspace) and the count
bound is lowered to 20: the same 0.1 % of the rows that the production bound of 1,000 is of
a million-row workspace; the rows are 15 minutes apart (about 7 months), so a one-week
window holds about 3 % of them. A scan may read at most a quarter of the workspace: enough for the
vip tag (10 %) to be collected through its GIN index, far below a walk of the table.
How it can fail wrongly: a future planner, or different statistics, choosing a full scan
that is not actually slow at this size; the failure message shows the query and the scan."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

import core.listing
from core.calls.schemas import CallFilters
from core.calls.service import calls
from core.database import Database, utcnow
from core.events.schemas import EventFilters
from core.events.service import events
from core.filters import CreatedRange
from core.leads.schemas import LeadFilters
from core.leads.service import leads
from core.listing import ListParams
from core.migrations.runner import upgrade_async
from core.workspaces.service import workspaces
from tests.support.servers import postgres_database

pytestmark = pytest.mark.postgres

ROWS = 20_000
SMALL_ROWS = 50
SEED = [
    """INSERT INTO leads (id, workspace_id, name, email, company, source, status, tags,
                          custom_fields, created_at, updated_at)
       SELECT 'lead_' || md5(:ws || g), :ws, 'Person ' || g,
              'person' || g || '@example' || (g % 100) || '.com', 'Company ' || (g % 5000),
              (ARRAY['web','referral','ads','event','partner'])[1 + g % 5],
              (ARRAY['new','contacted','qualified','converted','rejected'])[1 + g % 5],
              (CASE WHEN g % 10 = 0 THEN '["vip","b2b"]' ELSE '["b2b"]' END)::json, '{}',
              now() - make_interval(secs => g * 900), now() - make_interval(secs => g * 900)
       FROM generate_series(1, :n) AS g""",
    """INSERT INTO calls (id, workspace_id, direction, status, started_at, outcome,
                          custom_fields, created_at, updated_at)
       SELECT 'call_' || md5(:ws || g), :ws, (ARRAY['inbound','outbound'])[1 + g % 2],
              (ARRAY['queued','in_progress','ended','failed'])[1 + g % 4],
              now() - make_interval(secs => g * 900),
              (ARRAY['connected','no_answer','busy','voicemail','failed','booked'])[1 + g % 6],
              '{}', now() - make_interval(secs => g * 900), now() - make_interval(secs => g * 900)
       FROM generate_series(1, :n) AS g""",
    """INSERT INTO events (id, workspace_id, type, version, data, occurred_at, dispatched_at)
       SELECT 'evt_' || md5(:ws || g), :ws,
              (ARRAY['lead.created','lead.updated','call.created','call.ended'])[1 + g % 4],
              '1', '{}', now() - make_interval(secs => g * 900), now()
       FROM generate_series(1, :n) AS g""",
]


@pytest.fixture(scope="module")
async def seeded() -> AsyncIterator[tuple[Database, str]]:
    async with postgres_database() as url:
        await upgrade_async(url)
        db = Database(url)
        ids = []
        async with db.session() as session:
            for slug, rows in (("big", ROWS), ("small", SMALL_ROWS)):
                workspace = await workspaces.create(session, slug=slug, contact_email="o@x.io")
                ids.append(workspace.id)
                for statement in SEED:
                    await session.execute(text(statement), {"ws": workspace.id, "n": rows})
        async with db.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        yield db, ids[0]
        await db.dispose()


@pytest.fixture(scope="module")
async def small_workspace(seeded: tuple[Database, str]) -> str:
    async with seeded[0].session() as session:
        return (await workspaces.by_slug(session, "small")).id


@pytest.fixture(autouse=True)
def small_bound(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(core.listing, "COUNT_BOUND", ROWS // 1000)
    yield


# More rows read by one scan node than this is a walk of the workspace, not an index lookup.
MAX_READ = ROWS // 4


def _nodes(plan: Any) -> Iterator[dict[str, Any]]:
    """Every node of an ``EXPLAIN (FORMAT JSON)`` plan."""
    if isinstance(plan, dict):
        if "Node Type" in plan:
            yield plan
        for value in plan.values():
            yield from _nodes(value)
    elif isinstance(plan, list):
        for value in plan:
            yield from _nodes(value)


def _heavy_scans(plan: Any, most: int = MAX_READ) -> list[str]:
    """``"<node> on <relation or index>: <rows read>"`` for every scan reading more than
    ``most`` rows."""
    found = []
    for node in _nodes(plan):
        if "Scan" in str(node["Node Type"]):
            loops = int(node.get("Actual Loops", 1))
            read = int(node.get("Actual Rows", 0)) * loops
            read += int(node.get("Rows Removed by Filter", 0)) * loops
            read += int(node.get("Rows Removed by Index Recheck", 0)) * loops
            if read > most:
                target = node.get("Index Name") or node.get("Relation Name")
                found.append(f"{node['Node Type']} on {target}: {read}")
    return found


def _trigram_pages(plan: Any) -> int:
    """Index pages read by the plan's scans of the trigram indexes."""
    return sum(
        int(node.get("Shared Hit Blocks", 0)) + int(node.get("Shared Read Blocks", 0))
        for node in _nodes(plan)
        if str(node.get("Index Name", "")).endswith("_trgm")
    )


async def _plans_of(db: Database, run: Any, measure: Any = _heavy_scans) -> list[tuple[str, Any]]:
    """Runs one list call, then EXPLAIN ANALYZEs every SELECT it sent, with its parameters;
    ``measure`` reads each plan."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with db.session() as session:
            await run(session)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
    assert sent, "the list ran no query"
    results = []
    async with db.engine.connect() as connection:
        for statement, parameters in sent:
            if not parameters:  # the search's read of the trigram statistics
                continue
            explained = await connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
            )
            results.append((statement, measure(explained.scalar())))
    return results


WEEK = CreatedRange(utcnow() - timedelta(days=8), utcnow() - timedelta(days=1))
ANY = CreatedRange(None, None)


def _lead_filters(**given: Any) -> LeadFilters:
    values: dict[str, Any] = {
        "status": None,
        "source": None,
        "email": None,
        "tag": None,
        "search": None,
        "created": ANY,
    }
    return LeadFilters(**(values | given))


LEAD_CASES = [
    _lead_filters(status="qualified"),
    _lead_filters(source="referral"),
    _lead_filters(email="PERSON1234@example34.com"),
    _lead_filters(tag="vip"),
    _lead_filters(created=WEEK),
    _lead_filters(search="person1234"),
    _lead_filters(search="nobody-is-called-this"),
    _lead_filters(search="COMPANY 42"),
    _lead_filters(status="new", tag="vip", source="web"),
]
SORTS = [None, "createdAt", "-updatedAt", "updatedAt"]


def _case_id(filters: object) -> str:
    """The case's repr without its clock times: pytest-xdist workers must collect the same ids."""
    return re.sub(r"datetime\.datetime\([^)]*\)", "t", repr(filters))


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("filters", LEAD_CASES, ids=_case_id)
async def test_lead_filters_use_an_index(
    seeded: tuple[Database, str], filters: LeadFilters, sort: str | None
) -> None:
    db, workspace_id = seeded
    params = ListParams(limit=20, offset=None, cursor=None, sort=sort, fields=None)
    plans = await _plans_of(
        db, lambda s: leads.list(s, workspace_id=workspace_id, filters=filters, params=params)
    )
    assert [(sql, scans) for sql, scans in plans if scans] == []


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(
    "filters", [_lead_filters(tag="vip"), _lead_filters(tag="vip", status="new")], ids=_case_id
)
async def test_a_small_workspace_reads_only_its_own_tags(
    seeded: tuple[Database, str], small_workspace: str, filters: LeadFilters, sort: str | None
) -> None:
    # The big workspace's 2,000 `vip` leads are none of the small one's business.
    db, _ = seeded
    params = ListParams(limit=20, offset=None, cursor=None, sort=sort, fields=None)
    plans = await _plans_of(
        db,
        lambda s: leads.list(s, workspace_id=small_workspace, filters=filters, params=params),
        measure=lambda plan: _heavy_scans(plan, SMALL_ROWS),
    )
    assert [(sql, scans) for sql, scans in plans if scans] == []


CALL_CASES = [
    CallFilters("ended", None, None, None, ANY, ANY),
    CallFilters(None, "outbound", None, None, ANY, ANY),
    CallFilters(None, None, "booked", None, ANY, ANY),
    CallFilters(None, None, None, None, WEEK, ANY),
    CallFilters(None, None, None, None, ANY, WEEK),
]


@pytest.mark.parametrize("sort", [None, "-startedAt", "updatedAt"])
@pytest.mark.parametrize("filters", CALL_CASES, ids=_case_id)
async def test_call_filters_use_an_index(
    seeded: tuple[Database, str], filters: CallFilters, sort: str | None
) -> None:
    # A recent window with an ascending sort on another time column is the case the planner
    # gets wrong by itself (it walks that column's index from the oldest end).
    db, workspace_id = seeded
    params = ListParams(limit=20, offset=None, cursor=None, sort=sort, fields=None)
    plans = await _plans_of(
        db, lambda s: calls.list(s, workspace_id=workspace_id, filters=filters, params=params)
    )
    assert [(sql, scans) for sql, scans in plans if scans] == []


EVENT_CASES = [
    EventFilters([], ANY),
    EventFilters(["lead.created"], ANY),
    EventFilters(["lead.*"], ANY),
    EventFilters(["lead.updated", "call.ended"], ANY),
    EventFilters([], WEEK),
    EventFilters(["call.created"], WEEK),
]


@pytest.mark.parametrize("sort", [None, "timestamp"])
@pytest.mark.parametrize("filters", EVENT_CASES, ids=_case_id)
async def test_event_filters_use_an_index(
    seeded: tuple[Database, str], filters: EventFilters, sort: str | None
) -> None:
    db, workspace_id = seeded
    params = ListParams(limit=20, offset=None, cursor=None, sort=sort, fields=None)
    plans = await _plans_of(
        db, lambda s: events.list(s, workspace_id=workspace_id, filters=filters, params=params)
    )
    assert [(sql, scans) for sql, scans in plans if scans] == []


# Terms most of whose trigrams are in every row (every email is "person…@example….com", every
# company "Company …"), with a rarer part. Looked up by the whole term, each would make the
# trigram indexes read the posting lists of "per", "exa", "com", … (every row each).
COMMON_TRIGRAM_TERMS = ["person1234@example34.com", "Company 4242", "PERSON777"]
# Pages of the trigram indexes one query may read: the rare trigrams' lists and the entry
# trees above them. By the whole term: each common trigram's list is another few pages
# (about 20,000 entries).
MAX_TRIGRAM_PAGES = 30


@pytest.mark.parametrize("term", COMMON_TRIGRAM_TERMS)
async def test_a_search_reads_only_the_posting_lists_of_its_rare_part(
    seeded: tuple[Database, str], term: str
) -> None:
    db, workspace_id = seeded
    filters = _lead_filters(search=term)
    params = ListParams(limit=20, offset=None, cursor=None, sort="-updatedAt", fields=None)
    plans = await _plans_of(
        db,
        lambda s: leads.list(s, workspace_id=workspace_id, filters=filters, params=params),
        measure=_trigram_pages,
    )
    assert [(sql, pages) for sql, pages in plans if pages > MAX_TRIGRAM_PAGES] == []
