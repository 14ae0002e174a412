"""Every query of the event pipeline (docs/architecture.md, "The event pipeline"): the
outbox the relay takes events from, the subscriptions the fan-out and the engine send to,
and the delivery queue the engine claims, leases and records. The API's own reads and
edits of subscriptions and deliveries are in ``core.webhooks.repository``."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    Integer,
    Table,
    Text,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, SyncItem
from core.database import insert_ignoring_conflicts
from core.events.models import Event
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.webhooks.sender import Outcome
from core.workspaces.models import Workspace

# Paused connections still queue push work (nothing is lost while paused).
QUEUEING_STATUSES = ("active", "paused")

# The bulk statements of the pipeline are Core statements on the tables: as ORM statements
# (``update(Event)``) each execution also ran the ORM's bulk-update and RETURNING machinery
# (about 4 % of the worker's loop in a profile), for rows that are read as plain tuples.
_deliveries: Table = Delivery.__table__  # type: ignore[assignment]
_events: Table = Event.__table__  # type: ignore[assignment]
_webhooks: Table = Webhook.__table__  # type: ignore[assignment]
_connections: Table = Connection.__table__  # type: ignore[assignment]
_workspaces: Table = Workspace.__table__  # type: ignore[assignment]

# The statements a fan-out, a claim or a recorded batch runs every time are built ONCE, with
# bound parameters, and reused: building one (its clauses, its cache key) cost more CPU than
# running it, a fixed ~1-2 ms per transaction that every 50 ms commit paid (see
# docs/operations/reliability.md, "Fixed cost per commit"). Lists go in as expanding
# parameters.


class DueDelivery(NamedTuple):
    """What the delivery engine needs of a delivery it holds (claimed or handed over)."""

    id: str
    workspace_id: str
    webhook_id: str | None
    url: str
    payload: str
    event_type: str
    attempts: int


class SendingInfo(NamedTuple):
    """What the delivery engine needs of a subscription to sign and send."""

    id: str
    # None: a partner's subscription (the events of every workspace it manages).
    workspace_id: str | None
    url: str
    active: bool
    retry_config: dict[str, Any] | None
    secret_sealed: str
    previous_secret_sealed: str | None
    previous_secret_expires_at: datetime | None
    max_concurrency: int | None
    max_rate: float | None
    circuit_state: str
    circuit_probe_at: datetime | None


class CircuitChange(NamedTuple):
    """A subscription whose circuit a recorded batch opened or closed."""

    webhook_id: str
    opened: bool
    probe_at: datetime | None


class NewDeliveries(NamedTuple):
    """Deliveries the fan-out inserts, one list per column (row ``n`` is index ``n`` of
    each): the PostgreSQL insert sends these lists as they are."""

    ids: list[str]
    workspace_ids: list[str]
    webhook_ids: list[str]
    event_ids: list[str]
    event_types: list[str]
    urls: list[str]
    payloads: list[str]


class AttemptRows(NamedTuple):
    """Attempts to insert, one list per column of ``webhook_delivery_attempts``."""

    delivery_ids: list[str]
    numbers: list[int]
    status_codes: list[int | None]
    errors: list[str | None]
    latencies: list[int]
    attempted_at: list[datetime]
    response_bodies: list[str | None]

    def add(self, delivery_id: str, number: int, outcome: Outcome) -> None:
        self.delivery_ids.append(delivery_id)
        self.numbers.append(number)
        self.status_codes.append(outcome.status_code)
        self.errors.append(outcome.error)
        self.latencies.append(outcome.latency_ms)
        self.attempted_at.append(outcome.attempted_at)
        self.response_bodies.append(outcome.response_body)


class ResultRows(NamedTuple):
    """Results to apply to deliveries, one list per column. A row applies only while the
    delivery is pending with ``previous`` attempts (see :data:`PG_APPLY_RESULTS`)."""

    ids: list[str]
    previous: list[int]
    statuses: list[str]
    attempts: list[int]
    next_at: list[datetime | None]
    codes: list[int | None]
    errors: list[str | None]
    latencies: list[int | None]
    completed: list[datetime | None]

    def add(
        self,
        delivery_id: str,
        previous: int,
        status: str,
        attempts: int,
        next_at: datetime | None = None,
    ) -> None:
        """The row's first half; :meth:`add_outcome` completes it."""
        self.ids.append(delivery_id)
        self.previous.append(previous)
        self.statuses.append(status)
        self.attempts.append(attempts)
        self.next_at.append(next_at)

    def add_outcome(
        self, outcome: Outcome | None, error: str | None, completed_at: datetime | None
    ) -> None:
        """What the try gave (None: not sent); ``error`` overrides the outcome's."""
        self.codes.append(outcome.status_code if outcome else None)
        self.errors.append(error or (outcome.error if outcome else None))
        self.latencies.append(outcome.latency_ms if outcome else None)
        self.completed.append(completed_at)


class QueueingConnection(NamedTuple):
    """A connection as the fan-out reads it: whether and where it takes push work."""

    id: str
    workspace_id: str
    status: str
    push_routes: dict[str, list[str]]
    activated_at: datetime | None


class FanOutTarget(NamedTuple):
    """An active subscription as the fan-out sees it, with what sending it needs."""

    id: str
    # The workspace whose events it gets: its own, or for a partner's subscription each
    # active workspace the partner manages (one target per workspace).
    workspace_id: str
    url: str
    events: list[str]
    created_at: datetime
    sending: SendingInfo


# PostgreSQL: a whole batch in ONE statement of fixed text, its rows passed as one array per
# column (unnest). The statement is prepared once per connection and never recompiled, however
# many rows a batch has; the SQLite paths below use executemany instead.
_PG_INSERT_DELIVERIES = text(
    """
    INSERT INTO webhook_deliveries (id, workspace_id, webhook_id, event_id, event_type, url,
        payload, status, attempts, next_attempt_at, locked_until, created_at)
    SELECT r.id, r.workspace_id, r.webhook_id, r.event_id, r.event_type, r.url, r.payload,
        'pending', 0, :now, r.locked_until, :now
    FROM unnest(CAST(:ids AS VARCHAR[]), CAST(:workspace_ids AS VARCHAR[]),
        CAST(:webhook_ids AS VARCHAR[]), CAST(:event_ids AS VARCHAR[]),
        CAST(:event_types AS VARCHAR[]), CAST(:urls AS VARCHAR[]), CAST(:payloads AS TEXT[]),
        CAST(:locked_until AS TIMESTAMPTZ[]))
        AS r(id, workspace_id, webhook_id, event_id, event_type, url, payload, locked_until)
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING id
    """
)

_PG_INSERT_ATTEMPTS = text(
    """
    INSERT INTO webhook_delivery_attempts (delivery_id, number, status_code, error, latency_ms,
        attempted_at, response_body)
    SELECT * FROM unnest(CAST(:delivery_ids AS VARCHAR[]), CAST(:numbers AS INTEGER[]),
        CAST(:status_codes AS INTEGER[]), CAST(:errors AS VARCHAR[]),
        CAST(:latencies AS INTEGER[]), CAST(:attempted_at AS TIMESTAMPTZ[]),
        CAST(:response_bodies AS TEXT[]))
    ON CONFLICT (delivery_id, number) DO NOTHING
    """
)

# Every condition on ``d`` is a join condition against ``r``; the status a result applies
# to ("pending") comes in as a column of ``r`` too. A plain ``d.status = 'pending'`` (or any
# constant test on ``d``) is a restriction the planner estimates from statistics, and with
# statistics from a quiet moment ("nothing pending") it drove the join from ``d``: every
# pending delivery compared with every result, 40-200 ms per batch in a burst. As join
# conditions, only the primary key can find ``d``'s rows, whatever the statistics say.
PG_APPLY_RESULTS = text(
    """
    UPDATE webhook_deliveries AS d
    SET status = r.status, attempts = r.attempts, next_attempt_at = r.next_at,
        locked_until = NULL, last_status_code = r.code, last_error = r.error,
        last_latency_ms = r.latency, completed_at = r.completed
    FROM unnest(CAST(:ids AS VARCHAR[]), CAST(:previous AS INTEGER[]),
        CAST(:statuses AS VARCHAR[]), CAST(:attempts AS INTEGER[]),
        CAST(:next_at AS TIMESTAMPTZ[]), CAST(:codes AS INTEGER[]), CAST(:errors AS VARCHAR[]),
        CAST(:latencies AS INTEGER[]), CAST(:completed AS TIMESTAMPTZ[]),
        CAST(:applies_to AS VARCHAR[]))
        AS r(id, previous, status, attempts, next_at, code, error, latency, completed,
            applies_to)
    WHERE d.id = r.id AND d.attempts = r.previous AND d.status = r.applies_to
    """
)

_SENDING_COLUMNS = (
    _webhooks.c.id,
    _webhooks.c.workspace_id,
    _webhooks.c.url,
    _webhooks.c.active,
    _webhooks.c.retry_config,
    _webhooks.c.secret_sealed,
    _webhooks.c.previous_secret_sealed,
    _webhooks.c.previous_secret_expires_at,
    _webhooks.c.max_concurrency,
    _webhooks.c.max_rate,
    _webhooks.c.circuit_state,
    _webhooks.c.circuit_probe_at,
)
# Table columns, not ORM attributes: a Core select skips the ORM's compile and loading steps.
_FOR_SENDING = select(*_SENDING_COLUMNS).where(_webhooks.c.id.in_(bindparam("ids", expanding=True)))
# A batch's targets: its workspaces' own subscriptions, and those of the partners managing
# them while they are active; the first column is the event's workspace either way.
_OWN_TARGETS = select(
    _webhooks.c.workspace_id, _webhooks.c.events, _webhooks.c.created_at, *_SENDING_COLUMNS
).where(
    _webhooks.c.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
    _webhooks.c.active.is_(True),
)
_PARTNER_TARGETS = (
    select(_workspaces.c.id, _webhooks.c.events, _webhooks.c.created_at, *_SENDING_COLUMNS)
    .join(_workspaces, _workspaces.c.partner_id == _webhooks.c.partner_id)
    .where(
        _workspaces.c.id.in_(bindparam("workspace_ids", expanding=True)),
        _workspaces.c.status == "active",
        _webhooks.c.active.is_(True),
    )
)
_FAN_OUT_TARGETS = union_all(_OWN_TARGETS, _PARTNER_TARGETS)  # one round trip for both
_QUEUEING_CONNECTIONS = select(
    _connections.c.id,
    _connections.c.workspace_id,
    _connections.c.status,
    _connections.c.push_routes,
    _connections.c.activated_at,
).where(
    _connections.c.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
    _connections.c.status.in_(QUEUEING_STATUSES),
)


class FanOutEvent(NamedTuple):
    """An event as the fan-out reads it: the attributes of :class:`Event` that the
    envelope and the connectors' push routing read, without an ORM object per event."""

    id: str
    workspace_id: str
    type: str
    version: str
    data: dict[str, Any]
    occurred_at: datetime


# An endpoint's deliveries leased at once, across workers (claimed or handed over, on the
# wire, parked at its gate, or sent and not yet recorded), are at most this many times its
# concurrency: its next requests are ready when slots free up, and the leases of what was
# sent, freed only when the recorder's transaction commits, do not leave its slots idle
# meanwhile. At 2, a burst to one endpoint went in waves (send its concurrency twice, then
# nothing on the wire while the recorder wrote and the next claim ran: ~45 ms cycles); at 4
# the next wave is on the wire while the last is written (docs/operations/reliability.md).
# The gate keeps a worker's requests in flight to its concurrency; the rest of the backlog
# waits in the database.
HOLD_FACTOR = 4


# A run of 19 digits or more: a number orjson would not read as json.loads does (beyond 64
# bits it gives a float where json.loads gives an int); also found in long strings of digits
# and long decimals, which then simply take the slower path.
_LONG_DIGITS = re.compile(r"[0-9]{19}")


def load_stored_json(text: str) -> Any:
    """An event's stored ``data`` (the JSON text the column holds) as ``json.loads`` reads it
    (what SQLAlchemy's JSON type decoded it with), through orjson where that gives the same
    values: about 3x faster. orjson refuses what it reads differently (NaN, Infinity, numbers
    out of range, lone surrogates) and those, like long digit runs, go to ``json.loads``."""
    if _LONG_DIGITS.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


class OutboxRepository:
    """The relay's side of the outbox (the events table): what is not dispatched yet."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_undispatched(self) -> bool:
        found = await self.session.scalar(
            select(Event.id).where(Event.dispatched_at.is_(None)).limit(1)
        )
        return found is not None

    async def take_undispatched(self, limit: int, now: datetime) -> list[FanOutEvent]:
        """Marks the oldest ``limit`` undispatched events dispatched at ``now`` and returns
        them, oldest first, in one statement. On PostgreSQL the rows are locked with SKIP
        LOCKED, so concurrent dispatchers split them; the caller's transaction writes their
        deliveries, so a rollback leaves them undispatched again."""
        rows = await self.session.execute(self.take_statement(), {"limit": limit, "now": now})
        events = [
            FanOutEvent(id_, workspace_id, type_, version, load_stored_json(data), occurred_at)
            for id_, workspace_id, type_, version, data, occurred_at in rows
        ]
        events.sort(key=lambda e: (e.occurred_at, e.id))
        return events

    def take_statement(self) -> Any:
        """The ``UPDATE … RETURNING`` of :meth:`take_undispatched` (parameters ``limit``
        and ``now``)."""
        return _take_statement(self._postgresql())

    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"


@cache
def _take_statement(postgresql: bool) -> Any:
    """The take of :meth:`OutboxRepository.take_undispatched`, built once per backend
    (parameters ``limit`` and ``now``)."""
    # A materialised CTE: the locking subquery runs once. Written as
    # ``WHERE id IN (subquery)``, PostgreSQL may plan a semi join that re-runs the sort
    # and the row locks for every candidate row (seen: 225 loops for 75 rows).
    e = _events
    oldest = (
        select(e.c.id)
        .where(e.c.dispatched_at.is_(None))
        .order_by(e.c.occurred_at, e.c.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
        .cte("oldest")
        .prefix_with("MATERIALIZED")
    )
    # PostgreSQL locked the rows in the CTE (their condition re-checked on the newest
    # version), so the update finds them by id alone. Repeating the condition there let
    # the planner, with statistics from a quiet moment ("no undispatched events"), drive
    # the join from the dispatched_at index and compare every undispatched event with
    # every taken one: quadratic, 100-340 ms per batch of 500 in a burst of 5,000.
    # SQLite takes no row locks: the repeated condition is what keeps two takers apart.
    taken = [e.c.id == oldest.c.id]
    if not postgresql:
        taken.append(e.c.dispatched_at.is_(None))
    return (
        update(e)
        .where(*taken)
        .values(dispatched_at=bindparam("now", type_=e.c.dispatched_at.type))
        .returning(
            e.c.id,
            e.c.workspace_id,
            e.c.type,
            e.c.version,
            # The stored text, not decoded by the driver (asyncpg would use json.loads):
            # PostgreSQL's ``json`` keeps the text as written, SQLite's column is text.
            cast(e.c.data, Text),
            e.c.occurred_at,
        )
    )


@cache
def _health_statement(streak_goes_on: bool, unanswered: bool, succeeded: bool, failed: bool) -> Any:
    """The update of :meth:`TargetRepository.record_health`, one per shape of batch (16 at
    most), built once. A batch without a success continues the failure streak (and keeps
    the oldest ``failing_since``); one without an answer adds to the unreachable count. The
    parameters are named ``h_*``: an UPDATE reads a parameter named like a column as a value
    to SET."""
    w = _webhooks
    values: dict[str, Any] = {
        "success_count": w.c.success_count + bindparam("h_successes", type_=Integer),
        "failure_count": w.c.failure_count + bindparam("h_failures", type_=Integer),
    }
    unreachable = bindparam("h_unreachable", type_=Integer)
    values["unreachable_count"] = w.c.unreachable_count + unreachable if unanswered else unreachable
    trailing = bindparam("h_trailing_failures", type_=Integer)
    failing_since = bindparam("h_failing_since", type_=w.c.failing_since.type)
    if streak_goes_on:
        values["consecutive_failures"] = w.c.consecutive_failures + trailing
        values["failing_since"] = func.coalesce(w.c.failing_since, failing_since)
    else:
        values["consecutive_failures"] = trailing
        values["failing_since"] = failing_since
    if succeeded:
        values["last_success_at"] = bindparam("h_last_success_at", type_=w.c.last_success_at.type)
    if failed:
        values["last_failure_at"] = bindparam("h_last_failure_at", type_=w.c.last_failure_at.type)
        values["last_error"] = bindparam("h_last_error", type_=w.c.last_error.type)
    return (
        update(w)
        .where(w.c.id == bindparam("h_webhook_id", type_=w.c.id.type))
        .values(**values)
        .returning(w.c.unreachable_count, w.c.circuit_state)
    )


class TargetRepository:
    """Subscriptions as the pipeline sees them: whom an event goes to, how to sign and send
    to them, and their health after each recorded batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_sending(self, ids: Collection[str]) -> list[SendingInfo]:
        """What the delivery engine needs to sign and send (columns, no ORM objects)."""
        if not ids:
            return []
        rows = await self.session.execute(_FOR_SENDING, {"ids": list(ids)})
        return [SendingInfo._make(row) for row in rows]

    async def fan_out_targets(self, workspace_ids: Collection[str]) -> list[FanOutTarget]:
        """These workspaces' active subscriptions, and those of the partners that manage
        them while they are active (a suspended workspace's events do not reach its partner,
        docs/partners.md), with what the delivery engine needs to send to them (so a
        dispatcher can hand its new deliveries over ready to send)."""
        if not workspace_ids:
            return []
        rows = await self.session.execute(_FAN_OUT_TARGETS, {"workspace_ids": list(workspace_ids)})
        targets = []
        for workspace_id, events, created_at, *sending in rows:
            info = SendingInfo(*sending)
            targets.append(FanOutTarget(info.id, workspace_id, info.url, events, created_at, info))
        return targets

    async def record_health(
        self,
        webhook_id: str,
        *,
        successes: int,
        failures: int,
        trailing_failures: int | None,
        failing_since: datetime | None,
        last_success_at: datetime | None,
        last_failure_at: datetime | None,
        last_error: str | None,
        unreachable: int = 0,
        trailing_unreachable: int | None = None,
    ) -> tuple[int, str] | None:
        """Adds one batch's outcomes. ``trailing_failures`` is None when the batch had no
        success (the streak continues), else the failures after its last success; likewise
        ``trailing_unreachable`` (None: no answer at all in the batch) and the circuit's
        count. Returns the subscription's unreachable count and circuit state after it."""
        streak_goes_on = trailing_failures is None
        unanswered = trailing_unreachable is None
        params: dict[str, Any] = {
            "h_webhook_id": webhook_id,
            "h_successes": successes,
            "h_failures": failures,
            "h_unreachable": unreachable if unanswered else trailing_unreachable,
            "h_trailing_failures": failures if streak_goes_on else trailing_failures,
            "h_failing_since": failing_since,
        }
        if last_success_at is not None:
            params["h_last_success_at"] = last_success_at
        if last_failure_at is not None:
            params["h_last_failure_at"] = last_failure_at
            params["h_last_error"] = last_error
        result = await self.session.execute(
            _health_statement(
                streak_goes_on, unanswered, last_success_at is not None, last_failure_at is not None
            ),
            params,
        )
        row = result.first()
        return None if row is None else (int(row[0]), str(row[1]))

    async def open_circuit(
        self, webhook_id: str, *, reason: str | None, now: datetime, probe_at: datetime
    ) -> bool:
        """Opens a closed circuit (True), or moves an open one's probe (False)."""
        w = _webhooks
        opened = await self.session.execute(
            update(w)
            .where(w.c.id == webhook_id, w.c.circuit_state == "closed")
            .values(
                circuit_state="open",
                circuit_reason=reason,
                circuit_opened_at=now,
                circuit_probe_at=probe_at,
            )
            .returning(w.c.id)
        )
        if opened.first() is not None:
            return True
        await self.session.execute(
            update(w)
            .where(w.c.id == webhook_id, w.c.circuit_state == "open")
            .values(circuit_probe_at=probe_at, circuit_reason=reason)
        )
        return False

    async def close_circuit(self, webhook_id: str) -> bool:
        """Closes an open circuit; False if it was closed already (another worker did)."""
        w = _webhooks
        closed = await self.session.execute(
            update(w)
            .where(w.c.id == webhook_id, w.c.circuit_state == "open")
            .values(circuit_state="closed", circuit_probe_at=None)
            .returning(w.c.id)
        )
        return closed.first() is not None

    async def disable(
        self, ids: Collection[str], reason: str, *, failing_before: datetime | None = None
    ) -> Sequence[str]:
        """Switches active subscriptions off; with ``failing_before`` only those failing
        (without a success) since before then. Returns the ids actually disabled."""
        if not ids:
            return []
        stmt = update(Webhook).where(Webhook.id.in_(ids), Webhook.active.is_(True))
        if failing_before is not None:
            stmt = stmt.where(Webhook.failing_since <= failing_before)
        result = await self.session.execute(
            stmt.values(active=False, disabled_reason=reason)
            .returning(Webhook.id)
            .execution_options(synchronize_session=False)
        )
        return list(result.scalars().all())

    async def callback_secrets(self, workspace_ids: Collection[str]) -> dict[str, str | None]:
        """Each workspace's sealed callback secret: job callbacks (deliveries without a
        subscription) are signed with it."""
        if not workspace_ids:
            return {}
        rows = await self.session.execute(
            select(Workspace.id, Workspace.callback_secret_sealed).where(
                Workspace.id.in_(workspace_ids)
            )
        )
        return {row.id: row.callback_secret_sealed for row in rows}

    async def queueing_connections(
        self, workspace_ids: Collection[str]
    ) -> list[QueueingConnection]:
        """These workspaces' connections that take push work (active or paused), as the
        columns the fan-out reads (every fan-out batch asks, most often for none)."""
        if not workspace_ids:
            return []
        rows = await self.session.execute(
            _QUEUEING_CONNECTIONS, {"workspace_ids": list(workspace_ids)}
        )
        return [QueueingConnection(*row) for row in rows]

    async def add_push_items(self, rows: Sequence[dict[str, Any]]) -> None:
        """Pending push items; an existing (connection, object, event) item is kept."""
        if not rows:
            return
        stmt = insert_ignoring_conflicts(
            self.session, SyncItem, ["connection_id", "object_type", "event_id"]
        )
        await self.session.execute(stmt, list(rows))


# SQLite's pick and lease are built once with bound parameters, like the take of events:
# built per claim, the claim's clauses and their cache key cost the worker more CPU than the
# rest of the claim (a profile of a burst: a third of the claimer).
_NOW = bindparam("now", type_=_deliveries.c.next_attempt_at.type)


@cache
def _pick_statement() -> Any:
    """The ids of up to ``limit`` due deliveries to lease, in fair order.

    Fair, not oldest first across everyone: due rows are ranked within their endpoint
    (subscription; a job callback's workspace) and taken rank by rank, so one endpoint's
    burst cannot fill a claim while another endpoint's few deliveries wait behind it.
    An endpoint gets at most its budget of leased rows (``HOLD_FACTOR`` x its
    concurrency, counting the rows workers already hold); one whose circuit is open
    gets none, or the one probe once ``circuit_probe_at`` has come. The rest wait in
    the database."""
    d = _deliveries
    w = _webhooks
    due_now = (d.c.status == "pending", d.c.next_attempt_at <= _NOW)
    # Ranked within the endpoint with the rows leased to a worker right now first, so
    # those count against its budget and a free row's rank is what holding it would make.
    leased = case((d.c.locked_until > _NOW, 0), else_=1)
    endpoint = func.coalesce(d.c.webhook_id, d.c.workspace_id)
    rank = func.row_number().over(
        partition_by=endpoint, order_by=(leased, d.c.next_attempt_at, d.c.id)
    )
    ranked = (
        select(
            d.c.id,
            d.c.webhook_id,
            d.c.next_attempt_at,
            leased.label("free"),
            rank.label("rank"),
        )
        .where(*due_now)
        .cte("ranked")
    )
    default_concurrency = bindparam("default_concurrency", type_=Integer)
    budget = case(
        (
            w.c.circuit_state == "open",
            case((w.c.circuit_probe_at <= _NOW, 1), else_=0),
        ),
        else_=func.coalesce(w.c.max_concurrency, default_concurrency) * HOLD_FACTOR,
    )
    return (
        select(ranked.c.id)
        .select_from(ranked.outerjoin(w, w.c.id == ranked.c.webhook_id))
        .where(ranked.c.free == 1, ranked.c.rank <= budget)
        .order_by(ranked.c.rank, ranked.c.next_attempt_at)
        .limit(bindparam("limit", type_=Integer))
    )


# PostgreSQL's claim: the same pick as :func:`_pick_statement` (same ranks, same budgets,
# same order), read per endpoint through two partial indexes instead of ranking every due
# row: ranking sorted the whole backlog on every claim (~10 ms at 5,000 due rows, half of
# PostgreSQL's CPU per delivery in a burst). ``endpoints`` skips through the index from
# one endpoint to the next (one probe each, however many rows each has); per endpoint,
# ``held`` counts its leased rows (the leased index holds those apart) and ``free`` walks
# its oldest free rows in index order, no further than its budget left. A free row's rank
# is the endpoint's leased count plus its place among the free, as in the ranking, where
# leased rows come first. The lock level repeats the conditions (PostgreSQL re-checks them
# on the newest version of a row it locks, so a row another worker claimed meanwhile is
# skipped), each as a join condition against ``picked`` (which carries the status and the
# time as columns), as in PG_APPLY_RESULTS: a constant test on ``d`` is estimated from
# statistics, and statistics from a quiet moment drove the join from ``d``, comparing every
# pending row with every picked one. Both are materialised, so each runs once.
_PG_CLAIM = text(
    """
    WITH RECURSIVE endpoints (endpoint) AS (
        (SELECT coalesce(webhook_id, workspace_id) FROM webhook_deliveries
         WHERE status = 'pending' ORDER BY 1 LIMIT 1)
        UNION ALL
        SELECT (SELECT coalesce(d.webhook_id, d.workspace_id) FROM webhook_deliveries AS d
                WHERE d.status = 'pending'
                    AND coalesce(d.webhook_id, d.workspace_id) > e.endpoint
                ORDER BY 1 LIMIT 1)
        FROM endpoints AS e WHERE e.endpoint IS NOT NULL
    ),
    picked AS MATERIALIZED (
        SELECT free.id, held.n + free.place AS rank, free.next_attempt_at,
            CAST('pending' AS VARCHAR) AS status, CAST(:now AS TIMESTAMPTZ) AS now
        FROM endpoints AS e
        LEFT JOIN webhooks AS w ON w.id = e.endpoint
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM webhook_deliveries AS d
            WHERE d.status = 'pending' AND coalesce(d.webhook_id, d.workspace_id) = e.endpoint
                AND d.locked_until > :now
        ) AS held
        CROSS JOIN LATERAL (
            SELECT d.id, d.next_attempt_at,
                row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS place
            FROM webhook_deliveries AS d
            WHERE d.status = 'pending' AND coalesce(d.webhook_id, d.workspace_id) = e.endpoint
                AND d.next_attempt_at <= :now
                AND (d.locked_until IS NULL OR d.locked_until <= :now)
            ORDER BY d.next_attempt_at, d.id
            LIMIT greatest(
                CASE WHEN w.circuit_state = 'open'
                    THEN CASE WHEN w.circuit_probe_at <= :now THEN 1 ELSE 0 END
                    ELSE coalesce(w.max_concurrency, :default_concurrency) * :hold_factor
                END - held.n,
                0)
        ) AS free
        WHERE e.endpoint IS NOT NULL
        ORDER BY rank, free.next_attempt_at
        LIMIT :limit
    ),
    due AS MATERIALIZED (
        SELECT d.id FROM picked JOIN webhook_deliveries AS d
            ON d.id = picked.id AND d.status = picked.status
            AND d.next_attempt_at <= picked.now
            AND (d.locked_until IS NULL OR d.locked_until <= picked.now)
        FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries AS d SET locked_until = :lease_until
    FROM due WHERE d.id = due.id
    RETURNING d.id, d.workspace_id, d.webhook_id, d.url, d.payload, d.event_type, d.attempts
    """
).bindparams(
    bindparam("now", type_=_deliveries.c.next_attempt_at.type),
    bindparam("lease_until", type_=_deliveries.c.locked_until.type),
    bindparam("limit", type_=Integer),
    bindparam("default_concurrency", type_=Integer),
    bindparam("hold_factor", HOLD_FACTOR, type_=Integer),
)


@cache
def _sqlite_lease_picked() -> Any:
    """SQLite's second step: leases the picked ids (``picked``) that are still free, with
    the columns of :class:`DueDelivery` (as :data:`_PG_CLAIM` returns them)."""
    d = _deliveries
    return (
        update(d)
        .where(
            d.c.id.in_(bindparam("picked", expanding=True)),
            d.c.status == "pending",
            or_(d.c.locked_until.is_(None), d.c.locked_until <= _NOW),
        )
        .values(locked_until=bindparam("lease_until", type_=d.c.locked_until.type))
        .returning(
            d.c.id,
            d.c.workspace_id,
            d.c.webhook_id,
            d.c.url,
            d.c.payload,
            d.c.event_type,
            d.c.attempts,
        )
    )


class DeliveryQueueRepository:
    """The deliveries table as a queue: fan-out inserts, the engine claims (leases), renews,
    releases and records."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_due(self, now: datetime) -> bool:
        """Whether a pending delivery is due and not leased to a live worker."""
        found = await self.session.scalar(
            select(Delivery.id)
            .where(
                Delivery.status == "pending",
                Delivery.next_attempt_at <= now,
                or_(Delivery.locked_until.is_(None), Delivery.locked_until <= now),
            )
            .limit(1)
        )
        return found is not None

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, *, default_concurrency: int = 10
    ) -> list[DueDelivery]:
        """Leases up to ``limit`` due deliveries in one statement, in fair order (see
        :meth:`claim_statement`). PostgreSQL: the rows are locked with SKIP LOCKED so
        concurrent workers split them; SQLite has one writer, and the repeated lease
        condition keeps a second claimer from taking leased rows."""
        params = {
            "now": now,
            "lease_until": lease_until,
            "limit": limit,
            "default_concurrency": default_concurrency,
        }
        if self._postgresql():
            rows = await self.session.execute(self.claim_statement(), params)
            return [DueDelivery(*row) for row in rows]
        # SQLite: the ranking reads every due row (~100 ms at 10,000); as a plain SELECT
        # before the write it runs outside the database's single write lock, so the relay
        # and the recorder are not queued behind it. The UPDATE re-checks each row.
        del params["lease_until"]
        picked = list(await self.session.scalars(self.pick_statement(), params))
        if not picked:
            return []
        rows = await self.session.execute(
            _sqlite_lease_picked(), {"picked": picked, "now": now, "lease_until": lease_until}
        )
        return [DueDelivery(*row) for row in rows]

    def claim_statement(self) -> Any:
        """PostgreSQL's claim, one ``UPDATE … RETURNING`` leasing the rows
        :meth:`pick_statement` would pick (:data:`_PG_CLAIM`); parameters ``now``,
        ``lease_until``, ``limit`` and ``default_concurrency``."""
        return _PG_CLAIM

    def pick_statement(self) -> Any:
        """The ids of up to ``limit`` due deliveries to lease, in fair order (parameters
        ``now``, ``limit`` and ``default_concurrency``; see :func:`_pick_statement`)."""
        return _pick_statement()

    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def insert_new(
        self,
        new: NewDeliveries,
        *,
        now: datetime,
        leased: Sequence[bool] = (),
        lease_until: datetime | None = None,
    ) -> set[str]:
        """Fan-out deliveries, pending and due ``now``; those whose ``leased`` flag is set
        already leased until ``lease_until`` (handed straight to this process's engine). An
        existing (webhook, event) pair is skipped, so a re-run is safe. Returns the ids
        actually inserted."""
        count = len(new.ids)
        if not count:
            return set()
        locked = [lease_until if n < len(leased) and leased[n] else None for n in range(count)]
        if self.session.get_bind().dialect.name == "postgresql":
            params = {
                "now": now,
                "ids": new.ids,
                "workspace_ids": new.workspace_ids,
                "webhook_ids": new.webhook_ids,
                "event_ids": new.event_ids,
                "event_types": new.event_types,
                "urls": new.urls,
                "payloads": new.payloads,
                "locked_until": locked,
            }
            result = await self.session.execute(_PG_INSERT_DELIVERIES, params)
            return set(result.scalars().all())
        full = [
            {
                "id": new.ids[n],
                "workspace_id": new.workspace_ids[n],
                "webhook_id": new.webhook_ids[n],
                "event_id": new.event_ids[n],
                "event_type": new.event_types[n],
                "url": new.urls[n],
                "payload": new.payloads[n],
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "locked_until": locked[n],
            }
            for n in range(count)
        ]
        stmt = insert_ignoring_conflicts(self.session, Delivery, ["webhook_id", "event_id"])
        await self.session.execute(stmt, full)
        # The ids are new: those found now are the rows this call inserted.
        found = await self.session.scalars(select(Delivery.id).where(Delivery.id.in_(new.ids)))
        return set(found.all())

    async def release_leases(self, ids: Collection[str]) -> None:
        """Gives back deliveries a worker holds but will not send (it is shutting down), so
        any worker can claim them at once instead of when the lease runs out."""
        if not ids:
            return
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == "pending")
            .values(locked_until=None)
            .execution_options(synchronize_session=False)
        )

    async def renew_leases(self, ids: Collection[str], lease_until: datetime) -> None:
        """Extends the lease of deliveries a worker still holds (claimed, not yet recorded)."""
        if not ids:
            return
        # Rows the recorder is writing right now are skipped, not waited for: the recorder
        # finishes them anyway, and waiting on each other's row locks in different orders
        # deadlocked the two (seen on PostgreSQL under load).
        held = (
            select(Delivery.id)
            .where(
                Delivery.id.in_(ids),
                Delivery.status == "pending",
                Delivery.locked_until.is_not(None),
            )
            .with_for_update(skip_locked=True)
            .cte("held")
            .prefix_with("MATERIALIZED")
        )
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == held.c.id)
            .values(locked_until=lease_until)
            .execution_options(synchronize_session=False)
        )

    async def insert_attempts(self, rows: AttemptRows) -> None:
        if not rows.delivery_ids:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            params = {
                "delivery_ids": rows.delivery_ids,
                "numbers": rows.numbers,
                "status_codes": rows.status_codes,
                "errors": rows.errors,
                "latencies": rows.latencies,
                "attempted_at": rows.attempted_at,
                "response_bodies": rows.response_bodies,
            }
            await self.session.execute(_PG_INSERT_ATTEMPTS, params)
            return
        keys = (
            "delivery_id",
            "number",
            "status_code",
            "error",
            "latency_ms",
            "attempted_at",
            "response_body",
        )
        stmt = insert_ignoring_conflicts(self.session, DeliveryAttempt, ["delivery_id", "number"])
        by_row = zip(*rows, strict=True)
        await self.session.execute(stmt, [dict(zip(keys, row, strict=True)) for row in by_row])

    async def apply_results(self, rows: ResultRows) -> None:
        """One statement for a batch (PostgreSQL; an executemany on SQLite). A row applies
        only if nobody recorded this attempt first (a worker whose lease ran out while it was
        still sending)."""
        if not rows.ids:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            params = {
                "ids": rows.ids,
                "previous": rows.previous,
                "statuses": rows.statuses,
                "attempts": rows.attempts,
                "next_at": rows.next_at,
                "codes": rows.codes,
                "errors": rows.errors,
                "latencies": rows.latencies,
                "completed": rows.completed,
                "applies_to": ["pending"] * len(rows.ids),
            }
            await self.session.execute(PG_APPLY_RESULTS, params)
            return
        t = _deliveries
        stmt = (
            update(t)
            .where(
                t.c.id == bindparam("b_id"),
                t.c.attempts == bindparam("b_previous"),
                t.c.status == "pending",
            )
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                next_attempt_at=bindparam("b_next"),
                locked_until=None,
                last_status_code=bindparam("b_code"),
                last_error=bindparam("b_error"),
                last_latency_ms=bindparam("b_latency"),
                completed_at=bindparam("b_completed"),
            )
        )
        keys = (
            "b_id",
            "b_previous",
            "b_status",
            "b_attempts",
            "b_next",
            "b_code",
            "b_error",
            "b_latency",
            "b_completed",
        )
        by_row = zip(*rows, strict=True)
        await self.session.execute(stmt, [dict(zip(keys, row, strict=True)) for row in by_row])
