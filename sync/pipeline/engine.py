"""The delivery engine: one per worker process, long-lived.

Its stages run side by side on the process's event loop, none holding a transaction while
HTTP is in flight:

1. intake, two ways in:
   - hand-over: the process's relay fans events out into deliveries already leased to this
     engine and passes them over right after its commit (``sync.pipeline.fanout``'s
     :class:`DeliveryHandoff`): no broker hop, no claim query;
   - claim: when poked (a deliver task, a sweep) or while the last claim came back full,
     one ``UPDATE … RETURNING`` leases up to ``webhook_batch_size`` due deliveries (SKIP
     LOCKED on PostgreSQL: concurrent workers split them), whenever the unsent backlog has
     room. Retries and deliveries fanned out elsewhere come in this way.
2. send: ``webhook_concurrency`` sender coroutines take messages from one queue and send
   them over the process's HTTP client (``core.webhooks.client``, connections kept alive).
   Each message first
   passes its endpoint's gate (:mod:`sync.pipeline.gates`: the subscription's concurrency
   and rate); one the gate holds back waits there without a sender, so a slow or hanging
   receiver holds at most its own ``maxConcurrency`` senders.
3. record: every ~50 ms (or ``RECORD_ROWS`` results, or as soon as nothing is on the
   wire) the outcomes are written in one transaction (``sync.pipeline.recorder``).

While deliveries are held (leased, not yet recorded) their lease is renewed every third of
``webhook_lease_seconds``. A worker that dies leaves leased rows; the lease runs out and
another worker sends them again (at-least-once, same ``webhook-id``). Attempt rows are
unique per (delivery, number) and a delivery's update applies only if its attempt count is
unchanged, so two workers can never both record the same try. A worker that shuts down
sends what is on the wire, records it, and gives the leases of the rest back.

A deliver task makes sure the engine runs, asks it to look for due work and returns: the
engine does not need the task to go on (hand-overs, full claims, retry timers and sweeps
keep it busy), so no Celery thread waits on it. ``deliver_due`` (tests, tools) also waits
until the engine is idle."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from core.database import utcnow
from core.waiting import wait_set
from core.webhooks.retry import RetryPolicy, policy_for
from core.webhooks.sender import Message, Outcome, WebhookSender
from sync.pipeline.fanout import FAN_OUT_BATCH
from sync.pipeline.gates import EndpointGates
from sync.pipeline.recorder import HeldDelivery, write_outcomes
from sync.pipeline.repository import (
    HOLD_FACTOR,
    DeliveryQueueRepository,
    DueDelivery,
    SendingInfo,
    TargetRepository,
)
from sync.runtime import WorkerRuntime

logger = logging.getLogger(__name__)

INACTIVE_REASON = "The subscription is disabled."
NO_CALLBACK_SECRET = "No callback secret."  # noqa: S105 - a reason, not a secret
# The recorder writes what has arrived after this long, or as soon as this many are waiting.
RECORD_SECONDS = 0.05
RECORD_ROWS = 500
# How long a shutting-down engine waits for the requests on the wire.
DRAIN_SECONDS = 15.0
# The longest ``deliver_due`` waits for the engine to be idle (it never is under steady load).
IDLE_WAIT_SECONDS = 120.0
# One endpoint may use every sender but this share (a tenth, one at least), whatever its
# maxConcurrency: if it hangs, the others still have senders. Half cost a single endpoint's
# burst a tenth of its rate (docs/operations/reliability.md).
SENDERS_KEPT_FREE = 10


def endpoint_senders(senders: int) -> int:
    """The most of a worker's ``senders`` one endpoint may have in flight."""
    return max(1, senders - max(1, senders // SENDERS_KEPT_FREE))


class DeliveryEngine:
    """The process's delivery pipeline (see the module docstring)."""

    def __init__(self, rt: WorkerRuntime, sender: WebhookSender) -> None:
        self.rt = rt
        settings = rt.settings
        self.sender = sender
        self.batch = settings.webhook_batch_size
        self.concurrency = settings.webhook_concurrency
        # Claims keep at most this many deliveries unsent; hand-overs may add two dispatch
        # batches more (those rows are leased to us already). Wider than the largest
        # endpoint budget by a batch: a hanging endpoint's rows (on the wire and parked at
        # its gate) cannot fill it and starve the other endpoints' claims.
        self.window = max(
            settings.webhook_batch_size,
            2 * settings.webhook_concurrency,
            HOLD_FACTOR * settings.webhook_endpoint_concurrency_max + settings.webhook_batch_size,
        )
        # A claim waits for a quarter of the window to be free, or a batch: the room a
        # hanging endpoint's full budget leaves is a batch, and a claim that waited for more
        # would leave the other endpoints' rows in the database until its requests timed out.
        self.min_claim = max(1, min(self.window // 4, self.batch))
        self.max_backlog = self.window + 2 * FAN_OUT_BATCH
        self._lease_seconds = settings.webhook_lease_seconds
        self._default_policy = policy_for(
            None,
            schedule=settings.webhook_retry_schedule,
            timeout=settings.webhook_timeout_seconds,
        )
        self._queue: asyncio.Queue[HeldDelivery] = asyncio.Queue()
        self.gates = EndpointGates(
            settings.webhook_endpoint_concurrency,
            self._queue.put_nowait,
            most=endpoint_senders(self.concurrency),
        )
        self.gates.on_room = self._endpoint_room
        self._held: set[str] = set()  # leased to us, not yet recorded
        self._backlog = 0  # held and sendable, not yet sent (queued or on the wire)
        self._more = False  # the database may hold more due rows than the last claim took
        self._poked = False  # someone said there is new due work
        self._claiming = False
        self._signal = asyncio.Event()  # wakes the claimer
        self._results: list[tuple[HeldDelivery, Outcome | None]] = []
        self._results_signal = asyncio.Event()
        self._recording = False
        self._on_wire: dict[str, float] = {}  # delivery id -> loop time its request started
        self._idle = asyncio.Event()
        self._idle.set()
        self._drained = asyncio.Event()  # set whenever the backlog reaches 0
        self._waiting = False
        self._started = False
        self._closing = False
        self._tasks: list[asyncio.Task[Any]] = []
        self._recorder_task: asyncio.Task[None] | None = None
        self._keys: dict[tuple[str, str | None], list[str]] = {}
        self._wake: asyncio.TimerHandle | None = None  # the next retry's claim
        # Counters, for logs and tests: handed over by the dispatcher, claimed, sent.
        self.taken = 0
        self.claimed = 0
        self.sent = 0

    # --- the hand-over from this process's dispatcher (DeliveryHandoff) ------------------

    @property
    def lease_seconds(self) -> float:
        return self._lease_seconds

    def room(self) -> int:
        return 0 if self._closing else max(0, self.max_backlog - self._backlog)

    def budget(self, hook: SendingInfo) -> int:
        return 0 if self._closing else self.gates.budget(hook)

    def take(self, deliveries: list[DueDelivery], hooks: dict[str, SendingInfo]) -> None:
        if self._closing:
            return  # leased: another worker sends them when the lease runs out
        self._start()
        try:
            jobs = self._jobs(deliveries, hooks, {}, utcnow())
        except Exception:
            # Called after the dispatcher's commit: never fail it. Leased to us, they are
            # sent by whoever claims them once the lease runs out.
            logger.exception("taking over %d deliveries failed", len(deliveries))
            return
        self.taken += len(deliveries)
        self._held.update(d.id for d in deliveries)
        self._enqueue(jobs)

    # --- running ----------------------------------------------------------------------

    async def run_until_idle(self, at_most: float = IDLE_WAIT_SECONDS) -> int:
        """Looks for due work now; waits until the engine is idle (for ``at_most`` seconds
        under a load that never lets it idle) unless another call is already waiting.
        Returns how many messages were sent meanwhile (0 if it did not wait)."""
        if self._closing:
            return 0
        self.wake()
        if self._waiting:
            return 0
        self._waiting = True
        sent = self.sent
        try:
            # False: still busy; it goes on without this task (claims, hand-overs, sweeps).
            await wait_set(self._idle, at_most)
        finally:
            self._waiting = False
        return self.sent - sent

    def wake(self) -> None:
        """Makes sure the engine runs, and looks for due work now."""
        if self._closing:
            return
        self._start()
        self.poke()

    def poke(self) -> None:
        """There may be due deliveries in the database: claim them."""
        if self._closing:
            return
        self._poked = True
        self._idle.clear()
        self._signal.set()

    @property
    def running(self) -> bool:
        """Started and not closing: it takes hand-overs."""
        return self._started and not self._closing

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        # The recorder is kept apart: shutdown stops the others and lets it finish writing.
        self._recorder_task = asyncio.create_task(self._recorder())
        coroutines = [self._claimer(), self._renewer()]
        coroutines += [self._sender_loop() for _ in range(self.concurrency)]
        self._tasks = [asyncio.create_task(c) for c in coroutines]

    def _check_idle(self) -> None:
        if (
            not (self._more or self._poked or self._claiming or self._recording)
            and self._backlog == 0
            and not self._results
        ):
            self._idle.set()

    def _enqueue(self, jobs: Iterable[HeldDelivery]) -> None:
        for job in jobs:
            if job.message is None:
                self._add_result(job, None)
                continue
            self._backlog += 1
            self.gates.hold(job)
            self._queue.put_nowait(job)
        self._idle.clear()

    def _endpoint_room(self) -> None:
        """An endpoint the claims held back has room again: claim (its rows may wait)."""
        if not self._closing:
            self._more = True
            self._signal.set()

    # --- claim ------------------------------------------------------------------------

    async def _claimer(self) -> None:
        while not self._closing:
            self._signal.clear()
            room = self.window - self._backlog
            wanted = self._more or self._poked
            if wanted and (room >= self.min_claim or (room > 0 and self._backlog == 0)):
                limit = min(room, self.batch)
                # Both flags are cleared BEFORE the claim: a poke or an endpoint's room that
                # comes while it runs (the recorder freeing leases) sets them again and is
                # seen by the next round. Overwriting ``_more`` after the claim lost such a
                # wake-up: rows its budget held back then waited for the next sweep (5-10 s
                # stalls in a burst).
                self._poked = False
                self._more = False
                self._claiming = True
                try:
                    jobs = await self._claim(limit)
                finally:
                    self._claiming = False
                if jobs is not None and len(jobs) == limit:
                    self._more = True
                if jobs:
                    self._enqueue(jobs)
                continue
            self._check_idle()
            await self._signal.wait()

    async def _claim(self, limit: int) -> list[HeldDelivery] | None:
        """Leases up to ``limit`` due deliveries and reads how to send them, in one
        transaction; None if that failed (a later poke or sweep tries again)."""
        now = utcnow()
        lease = now + timedelta(seconds=self._lease_seconds)
        try:
            async with self.rt.db.session() as session:
                claimed = await DeliveryQueueRepository(session).claim_due(
                    now,
                    lease,
                    limit,
                    default_concurrency=self.rt.settings.webhook_endpoint_concurrency,
                )
                webhook_ids = {row.webhook_id for row in claimed if row.webhook_id is not None}
                targets = TargetRepository(session)
                hooks = {h.id: h for h in await targets.for_sending(webhook_ids)}
                callbacks = await targets.callback_secrets(
                    {row.workspace_id for row in claimed if row.webhook_id is None}
                )
        except Exception:
            logger.exception("claiming due deliveries failed")
            await asyncio.sleep(0.5)
            return None
        self.claimed += len(claimed)
        self._held.update(row.id for row in claimed)
        try:
            return self._jobs(claimed, hooks, callbacks, now)
        except Exception:
            # Leased: they are sent again once the lease runs out.
            logger.exception("preparing %d deliveries failed", len(claimed))
            self._held.difference_update(row.id for row in claimed)
            return []

    def _jobs(
        self,
        rows: Sequence[DueDelivery],
        hooks: Mapping[str, SendingInfo],
        callback_secrets: Mapping[str, str | None],
        now: datetime,
    ) -> list[HeldDelivery]:
        settings = self.rt.settings
        default = self._default_policy
        policies: dict[str, RetryPolicy] = {}
        jobs = []
        for row in rows:
            attempt = row.attempts + 1
            if row.webhook_id is None:
                # A job's callback: signed with its workspace's callback secret.
                sealed = callback_secrets.get(row.workspace_id)
                if sealed is None:
                    jobs.append(
                        HeldDelivery(
                            row.id,
                            None,
                            row.attempts,
                            default,
                            None,
                            NO_CALLBACK_SECRET,
                            row.workspace_id,
                            row.url,
                        )
                    )
                    continue
                keys = self._signing_keys(sealed, None)
                message = Message(
                    row.id, row.url, row.payload, row.event_type, attempt, keys, default.timeout
                )
                jobs.append(
                    HeldDelivery(
                        row.id, None, row.attempts, default, message, None, row.workspace_id
                    )
                )
                continue
            hook = hooks.get(row.webhook_id)
            if hook is None or not hook.active:
                jobs.append(
                    HeldDelivery(
                        row.id,
                        row.webhook_id,
                        row.attempts,
                        default,
                        None,
                        INACTIVE_REASON,
                        row.workspace_id,
                        row.url,
                    )
                )
                continue
            policy = policies.get(hook.id)
            if policy is None:
                self.gates.configure(hook)
                policy = policies[hook.id] = policy_for(
                    hook.retry_config,
                    schedule=settings.webhook_retry_schedule,
                    timeout=settings.webhook_timeout_seconds,
                )
            expires = hook.previous_secret_expires_at
            previous = hook.previous_secret_sealed if expires and expires > now else None
            # The subscription's current URL: a fixed endpoint also receives pending retries.
            message = Message(
                row.id,
                hook.url,
                row.payload,
                row.event_type,
                attempt,
                self._signing_keys(hook.secret_sealed, previous),
                policy.timeout,
            )
            jobs.append(
                HeldDelivery(
                    row.id,
                    hook.id,
                    row.attempts,
                    policy,
                    message,
                    # "": a partner's subscription, which has no workspace of its own.
                    workspace_id=hook.workspace_id or "",
                    url=hook.url,
                )
            )
        return jobs

    def _signing_keys(self, sealed: str, previous_sealed: str | None) -> list[str]:
        """The current secret (and the previous one during a rotation's overlap), opened
        once per sealed value rather than once per batch."""
        cache_key = (sealed, previous_sealed)
        keys = self._keys.get(cache_key)
        if keys is None:
            keys = [self.rt.secrets.open(sealed)]
            if previous_sealed:
                keys.append(self.rt.secrets.open(previous_sealed))
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[cache_key] = keys
        return keys

    # --- send -------------------------------------------------------------------------

    async def _sender_loop(self) -> None:
        queue = self._queue
        sender = self.sender
        gates = self.gates
        while True:
            job = await queue.get()
            if not gates.admit(job):
                continue  # parked at its endpoint's gate: it comes back through the queue
            message = job.message
            assert message is not None
            on_wire = self._on_wire
            on_wire[job.delivery_id] = asyncio.get_running_loop().time()
            try:
                outcome = await sender.send(message)
            except asyncio.CancelledError:
                # Shutting down with the request on the wire: unrecorded, the lease runs out.
                self._backlog -= 1
                raise
            except Exception as exc:  # the sender turns HTTP errors into outcomes already
                logger.exception("sending %s failed", job.delivery_id)
                outcome = Outcome(None, f"{type(exc).__name__}: {exc}"[:500], 0, utcnow())
            on_wire.pop(job.delivery_id, None)
            gates.done(job)
            self._backlog -= 1
            self.sent += 1
            self._add_result(job, outcome)
            self._sent_one()

    def _sent_one(self) -> None:
        if self._backlog == 0:
            self._signal.set()
            self._drained.set()
        elif (self._more or self._poked) and self.window - self._backlog >= self.min_claim:
            self._signal.set()

    # --- record -----------------------------------------------------------------------

    def _add_result(self, job: HeldDelivery, outcome: Outcome | None) -> None:
        results = self._results
        results.append((job, outcome))
        # Wake the recorder only when it has something to do now: the first result (it
        # starts its ~50 ms wait), a full batch, or nothing left on the wire. Woken by every
        # result, it went round its wait (a new wait_for task and timer) once per delivery.
        if len(results) == 1 or len(results) >= RECORD_ROWS or not self._more_coming():
            self._results_signal.set()

    def _more_coming(self) -> bool:
        """Whether results are about to come: deliveries wait for a sender, or requests on
        the wire started within the recorder's wait. Requests older than that (a hanging
        endpoint's) do not hold the writing of everyone else's results back; parked ones
        wait for their endpoint, not for the recorder."""
        if self._queue.qsize():
            return True
        if not self._on_wire:
            return False
        recent = asyncio.get_running_loop().time() - RECORD_SECONDS
        return any(started > recent for started in self._on_wire.values())

    async def _recorder(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._results:
                if self._closing and self._backlog == 0:
                    return
                self._check_idle()
                self._results_signal.clear()
                await self._results_signal.wait()
                continue
            # Wait for more while sends are in flight; once none are, write at once.
            deadline = loop.time() + RECORD_SECONDS
            while len(self._results) < RECORD_ROWS and self._more_coming() and not self._closing:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                self._results_signal.clear()
                if not await wait_set(self._results_signal, remaining):
                    break
            batch, self._results = self._results, []
            self._recording = True
            try:
                recorded = await write_outcomes(self.rt.db, self.rt.settings, batch)
                if recorded.retry_at is not None:
                    self._wake_at(recorded.retry_at)
                if recorded.opened:
                    await self._shut(recorded.opened)
                if any(job.webhook_id is not None for job, _ in batch):
                    # Their leases are free now: an endpoint whose budget they filled (its
                    # other rows left in the database by the last claim) may take more.
                    self._endpoint_room()
            except Exception:
                # Unrecorded: their leases run out and they are sent again (same webhook-id).
                logger.exception("recording %d outcomes failed", len(batch))
            finally:
                self._recording = False
                self._held.difference_update(job.delivery_id for job, _ in batch)

    async def _shut(self, webhook_ids: set[str]) -> None:
        """Circuits just opened: what this engine holds of them and has not sent yet goes
        back to the database untried (the probe comes from there)."""
        parked = self.gates.shut(webhook_ids)
        if not parked:
            return
        ids = [job.delivery_id for job in parked]
        self._backlog -= len(ids)
        try:
            async with self.rt.db.session() as session:
                await DeliveryQueueRepository(session).release_leases(ids)
        except Exception:
            # Still leased to us: they are claimed again when the lease runs out.
            logger.warning("releasing %d leases failed", len(ids), exc_info=True)
        self._held.difference_update(ids)
        if self._backlog == 0:
            self._signal.set()
            self._drained.set()

    def _wake_at(self, when: datetime) -> None:
        """Claims again when a retry just recorded comes due (sweeps would find it too, but
        only every ``sweeper_interval_seconds``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, (when - utcnow()).total_seconds())
        if self._wake is not None:
            if self._wake.when() <= deadline:
                return
            self._wake.cancel()
        self._wake = loop.call_at(deadline, self._woken)

    def _woken(self) -> None:
        self._wake = None
        self.poke()

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
                    await DeliveryQueueRepository(session).renew_leases(held, lease)
            except Exception:
                logger.warning("renewing %d leases failed", len(held), exc_info=True)

    # --- shutdown ---------------------------------------------------------------------

    async def close(self) -> None:
        """Sends what is on the wire and records it, gives back the leases of what is not,
        then closes the HTTP session."""
        if self._closing:
            return
        self._closing = True
        self._signal.set()
        unsent: list[str] = [job.delivery_id for job in self.gates.drain()]
        while not self._queue.empty():
            unsent.append(self._queue.get_nowait().delivery_id)
        self._backlog -= len(unsent)
        self._held.difference_update(unsent)
        if unsent:
            try:
                async with self.rt.db.session() as session:
                    await DeliveryQueueRepository(session).release_leases(unsent)
            except Exception:
                logger.warning("releasing %d leases failed", len(unsent), exc_info=True)
        if self._backlog > 0:
            self._drained.clear()
            await wait_set(self._drained, DRAIN_SECONDS)
        if self._wake is not None:
            self._wake.cancel()
        recorder = self._recorder_task
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if recorder is not None:
            self._results_signal.set()
            try:
                await asyncio.wait_for(recorder, DRAIN_SECONDS)
            except Exception:
                logger.warning("recording before shutdown failed", exc_info=True)
        self._idle.set()
        await self.sender.close()
