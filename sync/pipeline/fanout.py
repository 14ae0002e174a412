"""Fan-out: the events the relay takes from the outbox become a delivery per matching webhook
subscription and a push item per connection whose connector routes them.

Each batch is one transaction: the events are marked dispatched, their deliveries and push
items inserted, together. A crash in between repeats the batch, and the unique (webhook,
event) and (connection, object, event) keys make the repeat (or a concurrent relay) insert
nothing twice. When the relay's process runs a delivery engine, the new deliveries are
inserted already leased to it and handed over after the commit (:class:`DeliveryHandoff`);
the rest (or all, without an engine) wait for any worker's deliver task."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database, after_commit, utcnow
from core.events.catalog import matches_any
from core.events.models import EventFields
from core.events.service import envelope
from core.ids import new_ids
from core.tasks import DELIVER_TASK, PUSH_TASK, enqueue_after_commit
from sync.pipeline.repository import (
    DeliveryQueueRepository,
    DueDelivery,
    FanOutTarget,
    NewDeliveries,
    OutboxRepository,
    QueueingConnection,
    SendingInfo,
    TargetRepository,
)

# Events per transaction. (Two batches at a time measured no faster than one on two cores:
# the loop and the database are shared.)
FAN_OUT_BATCH = 500


class DeliveryHandoff(Protocol):
    """A delivery engine in the relay's process that takes the deliveries a batch has just
    committed, already leased to it: they go out without a broker hop or a claim."""

    @property
    def lease_seconds(self) -> float:
        """How long a handed-over delivery stays leased before another worker may take it."""
        ...

    def room(self) -> int:
        """How many deliveries it takes now (0: none; they are left for any worker)."""
        ...

    def budget(self, hook: SendingInfo) -> int:
        """How many more deliveries of this subscription it takes now (its endpoint's share:
        the rest wait in the database for a claim, see docs/webhooks.md, "Isolation")."""
        ...

    def take(self, deliveries: list[DueDelivery], hooks: dict[str, SendingInfo]) -> None:
        """Called right after the commit, on the loop that ran the fan-out."""
        ...

    def wake(self) -> None:
        """The batch left deliveries in the database (beyond its room or an endpoint's
        budget): claim them when there is room. Called right after the commit."""
        ...


async def fan_out_pending(db: Database, handoff: DeliveryHandoff | None = None) -> int:
    """Fans every undispatched event out, batch after batch; returns how many events.

    Deliveries a batch leaves in the database (not handed over) are announced with a deliver
    task, which any worker may take. With an engine in this process, that engine is woken
    after each batch's commit directly, and the task is sent once, after the last batch:
    a burst of ten batches sent ten tasks through the broker, each consumed, acknowledged
    and run on a Celery thread only to wake this same engine (the Celery consumer thread
    went from ~9 % to ~4.5 % of the worker's CPU samples in a burst's profile)."""
    total = 0
    left = False
    while True:
        count, left_now = await fan_out_batch(db, handoff)
        total += count
        left = left or left_now
        if count < FAN_OUT_BATCH:
            break
    if left and handoff is not None:
        db.send_task(DELIVER_TASK)  # the batches have committed
    return total


async def fan_out_batch(db: Database, handoff: DeliveryHandoff | None = None) -> tuple[int, bool]:
    """Fans out up to ``FAN_OUT_BATCH`` events in one transaction; returns how many, and
    whether it left deliveries in the database for a claim. Without a ``handoff`` it sends
    the deliver task for those itself; with one, it wakes that engine (the caller sends the
    task, see :func:`fan_out_pending`)."""
    async with db.session() as session:
        now = utcnow()
        events = await OutboxRepository(session).take_undispatched(FAN_OUT_BATCH, now)
        if not events:
            return 0, False
        targets: dict[str, list[FanOutTarget]] = defaultdict(list)
        for target in await TargetRepository(session).fan_out_targets(
            {e.workspace_id for e in events}
        ):
            targets[target.workspace_id].append(target)
        # The new deliveries as one list per column (what the insert sends), no row objects.
        new = NewDeliveries([], [], [], [], [], [], [])
        used: dict[str, SendingInfo] = {}
        for event in events:
            hooks = targets.get(event.workspace_id)
            if not hooks:
                continue
            body: str | None = None
            for hook in hooks:
                # A subscription gets what happens after it exists, even when the fan-out
                # of an older event runs late (a sweep after a lost broker message).
                if hook.created_at > event.occurred_at:
                    continue
                if not matches_any(hook.events, event.type):
                    continue
                if body is None:
                    # Serialised once per event: every subscriber gets the same bytes.
                    body = orjson.dumps(envelope(event)).decode()
                used[hook.id] = hook.sending
                new.workspace_ids.append(event.workspace_id)
                new.webhook_ids.append(hook.id)
                new.event_ids.append(event.id)
                new.event_types.append(event.type)
                new.urls.append(hook.url)
                new.payloads.append(body)
        count = len(new.payloads)
        new.ids.extend(new_ids("msg", count))
        leased = _to_lease(new, used, handoff) if handoff is not None and count else []
        lease_until = now + timedelta(seconds=handoff.lease_seconds) if handoff else None
        inserted = await DeliveryQueueRepository(session).insert_new(
            new, now=now, leased=leased, lease_until=lease_until
        )
        await queue_push_work(session, events, now)
        handed = [
            DueDelivery(
                new.ids[n],
                new.workspace_ids[n],
                new.webhook_ids[n],
                new.urls[n],
                new.payloads[n],
                new.event_types[n],
                0,
            )
            for n in range(len(leased))
            if leased[n] and new.ids[n] in inserted
        ]
        if handed and handoff is not None:
            after_commit(session, partial(handoff.take, handed, used))
        left = len(inserted) > len(handed)
        if left and handoff is not None:
            after_commit(session, handoff.wake)
        elif left:
            enqueue_after_commit(session, DELIVER_TASK)
    return len(events), left


def _to_lease(
    new: NewDeliveries, hooks: dict[str, SendingInfo], handoff: DeliveryHandoff
) -> list[bool]:
    """Which new deliveries go straight to the engine: as many as it has room for, and of
    each subscription no more than its endpoint's budget (none while its circuit is open)."""
    room = handoff.room()
    budgets = {hook_id: handoff.budget(hook) for hook_id, hook in hooks.items()}
    leased = []
    for webhook_id in new.webhook_ids:
        take = room > 0 and budgets[webhook_id] > 0
        if take:
            room -= 1
            budgets[webhook_id] -= 1
        leased.append(take)
    return leased


async def queue_push_work(
    session: AsyncSession, events: Sequence[EventFields], now: datetime
) -> int:
    """Adds a push item per (connection, provider object) each event routes to; sends
    ``PUSH_TASK`` for active connections after the commit. Returns the items written.
    Paused connections still queue work (nothing is lost while paused); resuming pushes it."""
    if not events:
        return 0
    targets = TargetRepository(session)
    by_workspace: dict[str, list[QueueingConnection]] = defaultdict(list)
    for connection in await targets.queueing_connections({e.workspace_id for e in events}):
        if connection.push_routes:
            by_workspace[connection.workspace_id].append(connection)
    if not by_workspace:
        return 0
    rows: list[dict[str, Any]] = []
    to_wake: set[str] = set()
    for event in events:
        hubwire_id = event.data.get("id") if isinstance(event.data, dict) else None
        if not isinstance(hubwire_id, str):
            continue
        for connection in by_workspace.get(event.workspace_id, ()):
            # Like webhooks: a connection syncs what happens after it was connected.
            if connection.activated_at is None or connection.activated_at > event.occurred_at:
                continue
            for object_type in connection.push_routes.get(event.type, ()):
                rows.append(
                    {
                        "connection_id": connection.id,
                        "object_type": object_type,
                        "hubwire_id": hubwire_id,
                        "event_id": event.id,
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
                if connection.status == "active":
                    to_wake.add(connection.id)
    await targets.add_push_items(rows)
    for connection_id in sorted(to_wake):
        enqueue_after_commit(session, PUSH_TASK, connection_id)
    return len(rows)
