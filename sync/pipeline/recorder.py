"""The recorder's writing: one transaction per batch of outcomes from the delivery engine.

It writes the batch's attempts (one multi-row INSERT) and results (one UPDATE), then each
subscription's health and circuit (opened after ``webhook_circuit_failures`` timeouts or
connection failures in a row, closed by any answer; ``webhook.circuit_opened`` /
``webhook.circuit_closed``), and disables those that answered 410 or kept failing
(dead-lettering what they had pending and emitting ``webhook.disabled``). A result applies
only if its delivery's attempt count is unchanged, so two workers can never both record the
same try."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database, utcnow
from core.events.service import emit
from core.metrics.instruments import deliveries_recorded
from core.settings import Settings
from core.webhooks.repository import DeliveryRepository
from core.webhooks.retry import RetryPolicy, next_delay
from core.webhooks.sender import Message, Outcome
from sync.pipeline.repository import (
    AttemptRows,
    DeliveryQueueRepository,
    ResultRows,
    TargetRepository,
)

GONE_REASON = "The endpoint answered 410 Gone."


@dataclass(slots=True)  # one per try: not frozen, which costs 5x to build (read-only all the same)
class HeldDelivery:
    """A delivery the engine holds (leased to it), ready to send, or to dead-letter without
    sending (``message`` None: its subscription is off, or it has no secret)."""

    delivery_id: str
    webhook_id: str | None
    previous_attempts: int
    policy: RetryPolicy
    message: Message | None  # None: not sendable (subscription off, no secret)
    reason: str | None = None
    workspace_id: str = ""
    url: str = ""


@dataclass(slots=True)
class Recorded:
    """What a written batch tells the engine: when the earliest retry (or circuit probe)
    among them is due, and which subscriptions' circuits it opened."""

    retry_at: datetime | None = None
    opened: set[str] = field(default_factory=set)


async def write_outcomes(
    db: Database, settings: Settings, outcomes: list[tuple[HeldDelivery, Outcome | None]]
) -> Recorded:
    """:func:`record_outcomes` in a transaction of its own, once more on a fresh connection
    if the first found its connection dropped (the database restarted). The pool pings only
    connections that sat idle (``core.database``): one used a moment before the restart
    fails its first statement, which invalidates the whole pool. A batch that failed so
    would otherwise be sent again once its leases ran out."""
    try:
        async with db.session() as session:
            return await record_outcomes(session, settings, outcomes)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    async with db.session() as session:
        return await record_outcomes(session, settings, outcomes)


async def record_outcomes(
    session: AsyncSession, settings: Settings, outcomes: list[tuple[HeldDelivery, Outcome | None]]
) -> Recorded:
    """Writes a batch of outcomes (see :class:`Recorded` for what it returns)."""
    recorded = Recorded()
    retry_at: datetime | None = None
    hooks = {job.webhook_id: job for job, _ in outcomes if job.webhook_id is not None}
    now = utcnow()
    # Straight into one list per column: what the PostgreSQL statements send.
    tried = AttemptRows([], [], [], [], [], [], [])
    applied = ResultRows([], [], [], [], [], [], [], [], [])
    by_hook: dict[str, list[Outcome]] = defaultdict(list)
    gone: set[str] = set()
    counted: list[tuple[str, float | None]] = []  # (outcome, seconds) for the metrics
    for job, outcome in outcomes:
        if outcome is None:
            counted.append(("dead", None))
            applied.add(job.delivery_id, job.previous_attempts, "dead", job.previous_attempts)
            applied.add_outcome(None, job.reason, now)
            continue
        number = job.previous_attempts + 1
        tried.add(job.delivery_id, number, outcome)
        if job.webhook_id is not None:
            by_hook[job.webhook_id].append(outcome)
        if outcome.success:
            applied.add(job.delivery_id, job.previous_attempts, "succeeded", number)
            counted.append(("succeeded", outcome.latency_ms / 1000))
            applied.add_outcome(outcome, None, now)
        elif outcome.status_code == 410:
            gone.add(job.webhook_id or "")
            applied.add(job.delivery_id, job.previous_attempts, "dead", number)
            applied.add_outcome(outcome, GONE_REASON, now)
            counted.append(("dead", outcome.latency_ms / 1000))
        else:
            delay = next_delay(
                job.policy,
                number,
                jitter=settings.webhook_retry_jitter,
                retry_after=outcome.retry_after,
            )
            counted.append(("dead" if delay is None else "retrying", outcome.latency_ms / 1000))
            if delay is None:
                applied.add(job.delivery_id, job.previous_attempts, "dead", number)
                applied.add_outcome(outcome, None, now)
            else:
                due = now + timedelta(seconds=delay)
                retry_at = due if retry_at is None else min(retry_at, due)
                applied.add(job.delivery_id, job.previous_attempts, "pending", number, due)
                applied.add_outcome(outcome, None, None)
    deliveries_recorded(session, counted)
    queue = DeliveryQueueRepository(session)
    await queue.insert_attempts(tried)
    await queue.apply_results(applied)

    webhooks = TargetRepository(session)
    still_failing = []
    for webhook_id, results in by_hook.items():
        results.sort(key=lambda o: o.attempted_at)
        successes = [i for i, o in enumerate(results) if o.success]
        failures = [o for o in results if not o.success]
        trailing = results[successes[-1] + 1 :] if successes else None
        if trailing is None:
            failing_since = failures[0].attempted_at if failures else None
            still_failing.append(webhook_id)
        else:
            failing_since = trailing[0].attempted_at if trailing else None
        answered = [i for i, o in enumerate(results) if not o.unreachable]
        health = await webhooks.record_health(
            webhook_id,
            successes=len(successes),
            failures=len(failures),
            trailing_failures=None if trailing is None else len(trailing),
            failing_since=failing_since,
            last_success_at=results[successes[-1]].attempted_at if successes else None,
            last_failure_at=failures[-1].attempted_at if failures else None,
            last_error=failures[-1].error if failures else None,
            unreachable=len(results) - len(answered),
            trailing_unreachable=len(results) - answered[-1] - 1 if answered else None,
        )
        if health is not None:
            probe_at = await _update_circuit(
                session, settings, hooks[webhook_id], health, results, bool(answered), now
            )
            if probe_at is not None:
                recorded.opened.add(webhook_id)
                retry_at = probe_at if retry_at is None else min(retry_at, probe_at)

    disabled: dict[str, str] = {}
    gone.discard("")
    for webhook_id in await webhooks.disable(gone, GONE_REASON):
        disabled[webhook_id] = GONE_REASON
    hours = settings.webhook_disable_after_hours
    cutoff = now - timedelta(hours=hours)
    failing_reason = f"No successful delivery for {hours:g} hours."
    for webhook_id in await webhooks.disable(
        [w for w in still_failing if w not in disabled], failing_reason, failing_before=cutoff
    ):
        disabled[webhook_id] = failing_reason
    for webhook_id, reason in disabled.items():
        await DeliveryRepository(session).kill_pending([webhook_id], reason, now)
        hook = hooks[webhook_id]
        if not hook.workspace_id:
            # A partner's subscription has no workspace to emit in: its state shows on
            # GET /v1/partner/webhooks/{id} (docs/partners.md, "Partner webhooks").
            continue
        emit(
            session,
            workspace_id=hook.workspace_id,
            type="webhook.disabled",
            data={"id": webhook_id, "url": hook.url, "active": False, "disabledReason": reason},
        )
    recorded.retry_at = retry_at
    return recorded


async def _update_circuit(
    session: AsyncSession,
    settings: Settings,
    job: HeldDelivery,
    health: tuple[int, str],
    results: list[Outcome],
    answered: bool,
    now: datetime,
) -> datetime | None:
    """Opens the circuit after a run of unreachable tries (or moves an open one's probe
    after a failed probe), closes it on an answer; emits the change. Returns when the next
    probe is due, if one was scheduled."""
    webhooks = TargetRepository(session)
    unreachable, state = health
    threshold = settings.webhook_circuit_failures
    webhook_id = job.webhook_id or ""
    if unreachable >= threshold:
        # Each failed probe doubles the cool-off, up to the operator's maximum.
        doublings = min(unreachable - threshold, 20)
        wait = min(
            settings.webhook_circuit_cooloff_seconds * 2**doublings,
            settings.webhook_circuit_cooloff_max_seconds,
        )
        probe_at = now + timedelta(seconds=wait)
        reason = results[-1].error
        opened = await webhooks.open_circuit(webhook_id, reason=reason, now=now, probe_at=probe_at)
        if opened and job.workspace_id:  # a partner's subscription: nowhere to emit
            emit(
                session,
                workspace_id=job.workspace_id,
                type="webhook.circuit_opened",
                data={
                    "id": webhook_id,
                    "url": job.url,
                    "state": "open",
                    "reason": reason,
                    "unreachableCount": unreachable,
                    "probeAt": probe_at.isoformat().replace("+00:00", "Z"),
                },
            )
        return probe_at
    closed = answered and state == "open" and await webhooks.close_circuit(webhook_id)
    if closed and job.workspace_id:
        emit(
            session,
            workspace_id=job.workspace_id,
            type="webhook.circuit_closed",
            data={"id": webhook_id, "url": job.url, "state": "closed"},
        )
    return None
