"""The recorder's writing: one transaction per batch of outcomes from the delivery engine.

It writes the batch's attempts (one multi-row INSERT) and results (one UPDATE), then each
subscription's health, and disables those that answered 410 or kept failing (dead-lettering
what they had pending and emitting ``webhook.disabled``). A result applies only if its
delivery's attempt count is unchanged, so two workers can never both record the same try."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.events.service import emit
from core.settings import Settings
from core.webhooks.repository import DeliveryRepository
from core.webhooks.retry import RetryPolicy, next_delay
from core.webhooks.sender import Message, Outcome
from sync.pipeline.repository import DeliveryQueueRepository, TargetRepository

GONE_REASON = "The endpoint answered 410 Gone."


@dataclass(frozen=True, slots=True)
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


async def record_outcomes(
    session: AsyncSession, settings: Settings, outcomes: list[tuple[HeldDelivery, Outcome | None]]
) -> datetime | None:
    """Writes a batch of outcomes; returns when the earliest retry among them is due."""
    retry_at: datetime | None = None
    hooks = {job.webhook_id: job for job, _ in outcomes if job.webhook_id is not None}
    now = utcnow()
    attempt_rows: list[dict[str, Any]] = []
    result_rows: list[dict[str, Any]] = []
    by_hook: dict[str, list[Outcome]] = defaultdict(list)
    gone: set[str] = set()
    for job, outcome in outcomes:
        if outcome is None:
            result_rows.append(
                _result(job, "dead", job.previous_attempts, None, now, None, job.reason)
            )
            continue
        number = job.previous_attempts + 1
        attempt_rows.append(
            {
                "delivery_id": job.delivery_id,
                "number": number,
                "status_code": outcome.status_code,
                "error": outcome.error,
                "latency_ms": outcome.latency_ms,
                "attempted_at": outcome.attempted_at,
                "response_body": outcome.response_body,
            }
        )
        if job.webhook_id is not None:
            by_hook[job.webhook_id].append(outcome)
        if outcome.success:
            row = _result(job, "succeeded", number, None, now, outcome)
        elif outcome.status_code == 410:
            gone.add(job.webhook_id or "")
            row = _result(job, "dead", number, None, now, outcome, GONE_REASON)
        else:
            delay = next_delay(
                job.policy,
                number,
                jitter=settings.webhook_retry_jitter,
                retry_after=outcome.retry_after,
            )
            if delay is None:
                row = _result(job, "dead", number, None, now, outcome)
            else:
                due = now + timedelta(seconds=delay)
                retry_at = due if retry_at is None else min(retry_at, due)
                row = _result(job, "pending", number, due, None, outcome)
        result_rows.append(row)
    queue = DeliveryQueueRepository(session)
    await queue.insert_attempts(attempt_rows)
    await queue.apply_results(result_rows)

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
        await webhooks.record_health(
            webhook_id,
            successes=len(successes),
            failures=len(failures),
            trailing_failures=None if trailing is None else len(trailing),
            failing_since=failing_since,
            last_success_at=results[successes[-1]].attempted_at if successes else None,
            last_failure_at=failures[-1].attempted_at if failures else None,
            last_error=failures[-1].error if failures else None,
        )

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
        emit(
            session,
            workspace_id=hook.workspace_id,
            type="webhook.disabled",
            data={"id": webhook_id, "url": hook.url, "active": False, "disabledReason": reason},
        )
    return retry_at


def _result(
    job: HeldDelivery,
    status: str,
    attempts: int,
    next_at: datetime | None,
    completed_at: datetime | None,
    outcome: Outcome | None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "b_id": job.delivery_id,
        "b_previous": job.previous_attempts,
        "b_status": status,
        "b_attempts": attempts,
        "b_next": next_at,
        "b_code": outcome.status_code if outcome else None,
        "b_error": error or (outcome.error if outcome else None),
        "b_latency": outcome.latency_ms if outcome else None,
        "b_completed": completed_at if status != "pending" else None,
    }
