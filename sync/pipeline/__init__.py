"""The event pipeline: how a change written through the API reaches webhook subscribers and
connections (docs/architecture.md, "The event pipeline").

1. outbox: a service writes the record and its event in one transaction
   (``core.events.service.emit``) and asks, after the commit, for a relay task;
2. relay (:mod:`sync.pipeline.relay`): takes undispatched events from the outbox, batch by
   batch, one run at a time per process;
3. fan-out (:mod:`sync.pipeline.fanout`): in the relay's transaction, each event becomes a
   delivery per matching subscription and a push item per connection that routes it;
4. delivery engine (:mod:`sync.pipeline.engine`): takes deliveries (handed over by its
   process's relay, or claimed), sends them, and has the outcomes recorded
   (:mod:`sync.pipeline.recorder`: attempts, retries, dead letters, subscription health);
5. sender (``core.webhooks.sender``): one signed HTTP request (Standard Webhooks); it lives
   in core because the API's "send a test message" uses it too.

Every query of these stages is in :mod:`sync.pipeline.repository`. A worker process holds
one :class:`Pipeline` (its relay and its engine) on its runtime."""

from __future__ import annotations

from core.webhooks.sender import WebhookSender
from sync.pipeline.engine import DeliveryEngine
from sync.pipeline.fanout import DeliveryHandoff, fan_out_pending
from sync.pipeline.relay import Relay
from sync.runtime import WorkerRuntime

PIPELINE_RESOURCE = "event_pipeline"


class Pipeline:
    """One worker process's relay and delivery engine. The relay hands the deliveries it
    fans out to this engine while the engine runs (a process that has never delivered
    leaves them to any worker's deliver task)."""

    def __init__(self, rt: WorkerRuntime) -> None:
        self.engine = DeliveryEngine(rt, WebhookSender.from_settings(rt.settings))
        self.relay = Relay(rt.db, self.handoff)

    def handoff(self) -> DeliveryHandoff | None:
        return self.engine if self.engine.running else None

    async def fan_out(self) -> int:
        """Fans every undispatched event out now (handing over to this engine); returns how
        many events."""
        return await fan_out_pending(self.relay.db, self.handoff())

    async def close(self) -> None:
        # The relay first: it stops handing over, then the engine drains and records.
        await self.relay.close()
        await self.engine.close()


def pipeline(rt: WorkerRuntime) -> Pipeline:
    """The worker process's pipeline (made on the runtime's loop, closed with the runtime)."""
    found = rt.resources.get(PIPELINE_RESOURCE)
    if not isinstance(found, Pipeline):
        found = rt.resources[PIPELINE_RESOURCE] = Pipeline(rt)
    return found


def request_relay(rt: WorkerRuntime) -> None:
    """What the relay task does: pokes the process's relay and returns (see relay.py). Runs
    on the runtime's loop (``WorkerRuntime.post``)."""
    pipeline(rt).relay.poke()


def request_delivery(rt: WorkerRuntime) -> None:
    """What the deliver task does: wakes the process's engine and returns. Runs on the
    runtime's loop (``WorkerRuntime.post``)."""
    pipeline(rt).engine.wake()


async def deliver_due(rt: WorkerRuntime) -> int:
    """Makes sure this process's engine runs and claims what is due. The first caller
    waits until the engine is idle and gets how many messages went out meanwhile; callers
    while one waits return 0 at once (the running engine does their work). Concurrent
    engines of other workers claim disjoint rows, since a claim skips leased rows."""
    return await pipeline(rt).engine.run_until_idle()
