"""The delivery engine: claims due deliveries in batches and sends them concurrently.

One batch = three short steps, none holding a transaction while HTTP is in flight:
1. claim: one UPDATE … RETURNING sets a lease (``locked_until``) on up to
   ``webhook_batch_size`` due deliveries (SKIP LOCKED on PostgreSQL);
2. send: every message concurrently over the worker's shared aiohttp session;
3. record: one transaction bulk-inserts the attempts and bulk-updates the deliveries, then
   updates each subscription's health and disables those that answered 410 or kept failing.

A worker that dies after 1 or 2 leaves leased rows; the lease runs out and another worker
sends them again (at-least-once, same ``webhook-id``). Attempt rows are unique per
(delivery, number) and a delivery's update applies only if its attempt count is unchanged,
so two workers can never both record the same try."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.events.service import emit
from core.webhooks.models import Webhook
from core.webhooks.repository import DeliveryRepository, WebhookRepository
from core.webhooks.retry import RetryPolicy, next_delay, policy_for
from core.webhooks.sender import Message, Outcome, WebhookSender
from core.webhooks.service import signing_secrets
from core.workspaces.models import Workspace
from sync.runtime import WorkerRuntime

HTTP_RESOURCE = "webhook_http"
GONE_REASON = "The endpoint answered 410 Gone."
INACTIVE_REASON = "The subscription is disabled."


@dataclass(frozen=True, slots=True)
class Job:
    """One claimed delivery, ready to send (or to dead-letter without sending)."""

    delivery_id: str
    webhook_id: str | None
    previous_attempts: int
    policy: RetryPolicy
    message: Message | None  # None: not sendable (subscription off, no secret)
    reason: str | None = None


def _sender(rt: WorkerRuntime) -> WebhookSender:
    """The worker process's one HTTP session (made on its loop, closed on shutdown)."""
    sender = rt.resources.get(HTTP_RESOURCE)
    if not isinstance(sender, WebhookSender):
        sender = WebhookSender.from_settings(rt.settings)
        rt.resources[HTTP_RESOURCE] = sender
    return sender


async def deliver_due(rt: WorkerRuntime) -> int:
    """Sends due deliveries batch after batch until none is due; returns how many were sent."""
    sender = _sender(rt)
    sent = 0
    while True:
        now = utcnow()
        lease = now + timedelta(seconds=rt.settings.webhook_lease_seconds)
        async with rt.db.session() as session:
            claimed = await DeliveryRepository(session).claim_due(
                now, lease, rt.settings.webhook_batch_size
            )
            if not claimed:
                return sent
            jobs, hooks = await _prepare(session, rt, claimed, now)
        sendable = [job for job in jobs if job.message is not None]
        outcomes = await asyncio.gather(
            *(sender.send(job.message) for job in sendable if job.message is not None)
        )
        async with rt.db.session() as session:
            await _record(
                session,
                rt,
                jobs,
                {job.delivery_id: o for job, o in zip(sendable, outcomes, strict=True)},
                hooks,
            )
        sent += len(sendable)


async def _prepare(
    session: AsyncSession, rt: WorkerRuntime, claimed: Sequence[Any], now: datetime
) -> tuple[list[Job], dict[str, Webhook]]:
    settings = rt.settings
    webhook_ids = {row.webhook_id for row in claimed if row.webhook_id is not None}
    hooks = {w.id: w for w in await WebhookRepository(session).by_ids(webhook_ids)}
    # Job callbacks (no subscription) are signed with their workspace's callback secret.
    callback_workspaces = {row.workspace_id for row in claimed if row.webhook_id is None}
    callback_secrets: dict[str, str | None] = {}
    if callback_workspaces:
        rows = await session.execute(
            select(Workspace.id, Workspace.callback_secret_sealed).where(
                Workspace.id.in_(callback_workspaces)
            )
        )
        callback_secrets = {row.id: row.callback_secret_sealed for row in rows}
    default_policy = policy_for(
        None, schedule=settings.webhook_retry_schedule, timeout=settings.webhook_timeout_seconds
    )
    keys_cache: dict[str, list[str]] = {}
    policy_cache: dict[str, RetryPolicy] = {}
    jobs = []
    for row in claimed:
        attempt = row.attempts + 1
        if row.webhook_id is None:
            sealed = callback_secrets.get(row.workspace_id)
            if sealed is None:
                jobs.append(
                    Job(row.id, None, row.attempts, default_policy, None, "No callback secret.")
                )
                continue
            keys = keys_cache.setdefault(f"ws:{row.workspace_id}", [rt.secrets.open(sealed)])
            message = Message(
                row.id, row.url, row.payload, row.event_type, attempt, keys, default_policy.timeout
            )
            jobs.append(Job(row.id, None, row.attempts, default_policy, message))
            continue
        hook = hooks.get(row.webhook_id)
        if hook is None or not hook.active:
            jobs.append(
                Job(row.id, row.webhook_id, row.attempts, default_policy, None, INACTIVE_REASON)
            )
            continue
        if hook.id not in keys_cache:
            keys_cache[hook.id] = signing_secrets(
                hook.secret_sealed,
                hook.previous_secret_sealed,
                hook.previous_secret_expires_at,
                rt.secrets,
                now,
            )
            policy_cache[hook.id] = policy_for(
                hook.retry_config,
                schedule=settings.webhook_retry_schedule,
                timeout=settings.webhook_timeout_seconds,
            )
        policy = policy_cache[hook.id]
        # The subscription's current URL: a fixed endpoint also receives pending retries.
        message = Message(
            row.id,
            hook.url,
            row.payload,
            row.event_type,
            attempt,
            keys_cache[hook.id],
            policy.timeout,
        )
        jobs.append(Job(row.id, hook.id, row.attempts, policy, message))
    return jobs, hooks


async def _record(
    session: AsyncSession,
    rt: WorkerRuntime,
    jobs: list[Job],
    outcomes: dict[str, Outcome],
    hooks: dict[str, Webhook],
) -> None:
    settings = rt.settings
    now = utcnow()
    attempt_rows: list[dict[str, Any]] = []
    result_rows: list[dict[str, Any]] = []
    by_hook: dict[str, list[Outcome]] = defaultdict(list)
    gone: set[str] = set()
    for job in jobs:
        outcome = outcomes.get(job.delivery_id)
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
                row = _result(job, "pending", number, now + timedelta(seconds=delay), None, outcome)
        result_rows.append(row)
    deliveries = DeliveryRepository(session)
    await deliveries.insert_attempts(attempt_rows)
    await deliveries.apply_results(result_rows)

    webhooks = WebhookRepository(session)
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
        await deliveries.kill_pending([webhook_id], reason, now)
        hook = hooks[webhook_id]
        emit(
            session,
            workspace_id=hook.workspace_id,
            type="webhook.disabled",
            data={"id": hook.id, "url": hook.url, "active": False, "disabledReason": reason},
        )


def _result(
    job: Job,
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
