"""The delivery engine: claims due deliveries in batches and sends them concurrently."""

from __future__ import annotations

from sync.runtime import WorkerRuntime


async def deliver_due(rt: WorkerRuntime) -> int:
    raise NotImplementedError("the delivery engine is being built")
