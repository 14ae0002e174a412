"""What a scrape of ``/metrics`` answers: the process's counters and histograms (every
process's, in multi-process mode) plus gauges of the state in the database.

The state gauges are read at scrape time, not kept up to date by the code that changes the
state: three GROUP BY queries, cached for ``metrics_cache_seconds`` so several scrapers (or
several API processes behind one scrape job) do not multiply them. The request path never
queries anything for metrics."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.database import Database
from core.metrics.repository import StateRepository

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST


@dataclass(frozen=True)
class StateSnapshot:
    deliveries: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, int] = field(default_factory=dict)
    connections: dict[tuple[str, str], int] = field(default_factory=dict)


class StateCollector(Collector):
    """Hands one snapshot to prometheus-client as gauges."""

    def __init__(self, snapshot: StateSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        deliveries = GaugeMetricFamily(
            "hubwire_webhook_deliveries_state",
            "Webhook deliveries in the database by status: pending (waiting for a try or a "
            "retry) and dead (dead-lettered, waiting for a replay).",
            labels=["status"],
        )
        for status, n in sorted(self.snapshot.deliveries.items()):
            deliveries.add_metric([status], n)
        yield deliveries
        jobs = GaugeMetricFamily(
            "hubwire_jobs_state", "Background jobs in the database by status.", labels=["status"]
        )
        for status, n in sorted(self.snapshot.jobs.items()):
            jobs.add_metric([status], n)
        yield jobs
        connections = GaugeMetricFamily(
            "hubwire_connections_state",
            "Connections to providers by connector and status (error: needs reconnecting).",
            labels=["connector", "status"],
        )
        for (connector, status), n in sorted(self.snapshot.connections.items()):
            connections.add_metric([connector, status], n)
        yield connections


class MetricsService:
    """One per process (``Services.metrics``)."""

    def __init__(self, db: Database, *, cache_seconds: float) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self._snapshot: StateSnapshot | None = None
        self._read_at = 0.0
        self._lock = asyncio.Lock()

    async def state(self) -> StateSnapshot:
        """The state gauges, read again once the cached ones are older than the cache."""
        async with self._lock:  # concurrent scrapes share one read
            fresh = time.monotonic() - self._read_at < self.cache_seconds
            if self._snapshot is None or not fresh:
                async with self.db.sessionmaker() as session:
                    states = StateRepository(session)
                    self._snapshot = StateSnapshot(
                        deliveries=await states.deliveries_by_status(),
                        jobs=await states.jobs_by_status(),
                        connections=await states.connections_by_state(),
                    )
                self._read_at = time.monotonic()
            return self._snapshot

    async def exposition(self) -> bytes:
        """The whole scrape in Prometheus's text format."""
        state = CollectorRegistry(auto_describe=False)
        state.register(StateCollector(await self.state()))
        return process_metrics() + generate_latest(state)


def process_registry() -> CollectorRegistry:
    """The counters and histograms: this process's, or every process's that shares
    ``PROMETHEUS_MULTIPROC_DIR`` (added up by prometheus-client)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def process_metrics() -> bytes:
    return generate_latest(process_registry())


def serve_process_metrics(host: str, port: int) -> None:
    """Serves :func:`process_metrics` on ``host:port`` from a daemon thread (a worker's own
    scrape target: its counters, not the database's state, which the API serves)."""
    start_http_server(port, addr=host, registry=process_registry())
