"""The delivery engine: one pipelined loop per worker process.

Three stages run side by side on the process's event loop, none holding a transaction
while HTTP is in flight:

1. claim: whenever the in-flight window has room, one UPDATE … RETURNING sets a lease
   (``locked_until``) on up to ``webhook_batch_size`` due deliveries (SKIP LOCKED on
   PostgreSQL);
2. send: one coroutine per message over the worker's shared aiohttp session (at most
   ``webhook_concurrency`` requests at once); a slow receiver holds up only its own slot;
3. record: every ~50 ms (or ``RECORD_ROWS`` results) one transaction bulk-inserts the
   attempts and bulk-updates the deliveries, then updates each subscription's health and
   disables those that answered 410 or kept failing.

While messages are held (claimed, not yet recorded) their lease is renewed every third of
``webhook_lease_seconds``. A worker that dies leaves leased rows; the lease runs out and
another worker sends them again (at-least-once, same ``webhook-id``). Attempt rows are
unique per (delivery, number) and a delivery's update applies only if its attempt count is
unchanged, so two workers can never both record the same try.

Each deliver task runs one such loop until nothing is due; loops of one process share its
HTTP session (and its ``webhook_concurrency`` limit)."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.events.service import emit
from core.webhooks.repository import DeliveryRepository, WebhookRepository
from core.webhooks.retry import RetryPolicy, next_delay, policy_for
from core.webhooks.sender import Message, Outcome, WebhookSender
from core.webhooks.service import signing_secrets
from core.workspaces.models import Workspace
from sync.runtime import WorkerRuntime

logger = logging.getLogger(__name__)

HTTP_RESOURCE = "webhook_http"
GONE_REASON = "The endpoint answered 410 Gone."
INACTIVE_REASON = "The subscription is disabled."
# The recorder writes what has arrived after this long, or as soon as this many are waiting.
RECORD_SECONDS = 0.05
RECORD_ROWS = 500


@dataclass(frozen=True, slots=True)
class Job:
    """One claimed delivery, ready to send (or to dead-letter without sending)."""

    delivery_id: str
    webhook_id: str | None
    previous_attempts: int
    policy: RetryPolicy
    message: Message | None  # None: not sendable (subscription off, no secret)
    reason: str | None = None
    workspace_id: str = ""
    url: str = ""


class Engine:
    """The process's delivery pipeline (see the module docstring)."""

    def __init__(self, rt: WorkerRuntime, sender: WebhookSender) -> None:
        self.rt = rt
        settings = rt.settings
        self.sender = sender
        self.batch = settings.webhook_batch_size
        # Claimed but unsent messages wait at most one window's worth of sends.
        self.window = max(settings.webhook_batch_size, 2 * settings.webhook_concurrency)
        self.min_claim = max(1, self.window // 4)
        self._lease_seconds = settings.webhook_lease_seconds
        self._held: set[str] = set()  # leased to us, not yet recorded
        self._inflight = 0
        self._want_room = False
        self._signal = asyncio.Event()
        self._results: list[tuple[Job, Outcome | None]] = []
        self._results_signal = asyncio.Event()
        self._stopping = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.sent = 0

    # --- running ----------------------------------------------------------------------

    async def run_until_idle(self) -> int:
        return await self._main()

    async def _main(self) -> int:
        self.sent = 0
        self._stopping = False
        recorder = asyncio.create_task(self._recorder())
        renewer = asyncio.create_task(self._renewer())
        try:
            await self._claimer()
        finally:
            self._stopping = True
            self._results_signal.set()
            renewer.cancel()
            try:
                await recorder
            finally:
                for task in list(self._tasks):
                    task.cancel()
        return self.sent

    async def _claimer(self) -> None:
        more = True  # the database may hold more due rows than the last claim took
        while True:
            self._signal.clear()
            room = self.window - self._inflight
            rows: list[Any] = []
            if more and (room >= self.min_claim or (room > 0 and self._inflight == 0)):
                limit = min(room, self.batch)
                claimed = await self._claim(limit)
                more = len(claimed) == limit
                rows.extend(claimed)
            if rows:
                await self._start_sends(rows)
                continue
            self._want_room = more
            if self._inflight == 0 and not more:
                return
            await self._signal.wait()

    async def _claim(self, limit: int) -> Sequence[Any]:
        now = utcnow()
        lease = now + timedelta(seconds=self._lease_seconds)
        try:
            async with self.rt.db.session() as session:
                claimed = await DeliveryRepository(session).claim_due(now, lease, limit)
        except Exception:
            logger.exception("claiming due deliveries failed")
            await asyncio.sleep(0.5)
            return []
        self._held.update(row.id for row in claimed)
        return claimed

    async def _start_sends(self, rows: list[Any]) -> None:
        try:
            async with self.rt.db.session() as session:
                jobs = await _prepare(session, self.rt, rows, utcnow())
        except Exception:
            # Leased: they are sent again once the lease runs out.
            logger.exception("preparing %d deliveries failed", len(rows))
            self._held.difference_update(row.id for row in rows)
            return
        for job in jobs:
            if job.message is None:
                self._add_result(job, None)
                continue
            self._inflight += 1
            task = asyncio.create_task(self._send(job, job.message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send(self, job: Job, message: Message) -> None:
        try:
            outcome = await self.sender.send(message)
        except Exception as exc:  # the sender turns HTTP errors into outcomes already
            logger.exception("sending %s failed", job.delivery_id)
            outcome = Outcome(None, f"{type(exc).__name__}: {exc}"[:500], 0, utcnow())
        finally:
            self._inflight -= 1
        self.sent += 1
        self._add_result(job, outcome)
        if self._inflight == 0 or (
            self._want_room and self.window - self._inflight >= self.min_claim
        ):
            self._signal.set()

    def _add_result(self, job: Job, outcome: Outcome | None) -> None:
        self._results.append((job, outcome))
        self._results_signal.set()

    async def _recorder(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._results:
                if self._stopping:
                    return
                self._results_signal.clear()
                await self._results_signal.wait()
                continue
            deadline = loop.time() + RECORD_SECONDS
            while len(self._results) < RECORD_ROWS and not self._stopping:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                self._results_signal.clear()
                try:
                    await asyncio.wait_for(self._results_signal.wait(), remaining)
                except TimeoutError:
                    break
            batch, self._results = self._results, []
            try:
                async with self.rt.db.session() as session:
                    await _record(session, self.rt, batch)
            except Exception:
                # Unrecorded: their leases run out and they are sent again (same webhook-id).
                logger.exception("recording %d outcomes failed", len(batch))
            finally:
                self._held.difference_update(job.delivery_id for job, _ in batch)

    async def _renewer(self) -> None:
        interval = self._lease_seconds / 3
        while True:
            await asyncio.sleep(interval)
            held = list(self._held)
            if not held:
                continue
            lease = utcnow() + timedelta(seconds=self._lease_seconds)
            try:
                async with self.rt.db.session() as session:
                    await DeliveryRepository(session).renew_leases(held, lease)
            except Exception:
                logger.warning("renewing %d leases failed", len(held), exc_info=True)


def _sender(rt: WorkerRuntime) -> WebhookSender:
    """The worker process's one HTTP session (made on its loop, closed on shutdown)."""
    sender = rt.resources.get(HTTP_RESOURCE)
    if not isinstance(sender, WebhookSender):
        sender = WebhookSender.from_settings(rt.settings)
        rt.resources[HTTP_RESOURCE] = sender
    return sender


async def deliver_due(rt: WorkerRuntime) -> int:
    """Runs one pipelined loop until nothing is due; returns how many were sent.

    Each deliver task runs its own loop, as before; concurrent loops (tasks of this process
    or of other workers) claim disjoint rows, since a claim skips leased rows. They share
    the process's HTTP session and its ``webhook_concurrency`` limit."""
    engine = Engine(rt, _sender(rt))
    return await engine.run_until_idle()


async def _prepare(
    session: AsyncSession, rt: WorkerRuntime, claimed: Sequence[Any], now: datetime
) -> list[Job]:
    settings = rt.settings
    webhook_ids = {row.webhook_id for row in claimed if row.webhook_id is not None}
    hooks = {w.id: w for w in await WebhookRepository(session).for_sending(webhook_ids)}
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
                    Job(
                        row.id,
                        None,
                        row.attempts,
                        default_policy,
                        None,
                        "No callback secret.",
                        row.workspace_id,
                        row.url,
                    )
                )
                continue
            keys = keys_cache.setdefault(f"ws:{row.workspace_id}", [rt.secrets.open(sealed)])
            message = Message(
                row.id, row.url, row.payload, row.event_type, attempt, keys, default_policy.timeout
            )
            jobs.append(
                Job(row.id, None, row.attempts, default_policy, message, None, row.workspace_id)
            )
            continue
        hook = hooks.get(row.webhook_id)
        if hook is None or not hook.active:
            jobs.append(
                Job(
                    row.id,
                    row.webhook_id,
                    row.attempts,
                    default_policy,
                    None,
                    INACTIVE_REASON,
                    row.workspace_id,
                    row.url,
                )
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
        jobs.append(
            Job(row.id, hook.id, row.attempts, policy, message, None, hook.workspace_id, hook.url)
        )
    return jobs


async def _record(
    session: AsyncSession, rt: WorkerRuntime, outcomes: list[tuple[Job, Outcome | None]]
) -> None:
    settings = rt.settings
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
            data={"id": webhook_id, "url": hook.url, "active": False, "disabledReason": reason},
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
