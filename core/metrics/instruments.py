"""The process's metrics and the few calls the rest of the code makes to move them.

Every counter and histogram lives here, so their names, labels and help texts are in one
place (docs/operations/metrics.md lists them). Callers use the small functions below, one
line at each spot; labels are always bounded values (a route template, a connector slug,
an event type from the catalog), never a raw path or an id.

Multi-process: when ``PROMETHEUS_MULTIPROC_DIR`` is set before the process starts,
prometheus-client keeps these values in files of that folder, one set per process, and a
scrape of any process adds them all up (``core.metrics.service``). Only counters and
histograms are kept here for that reason: a gauge of the live state is read from the
database at scrape time instead.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Mapping
from typing import Any

from prometheus_client import Counter, Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import after_commit

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The label of a request no route matched (a 404, or refused before routing: a 413).
UNMATCHED = "unmatched"

http_requests = Counter(
    "hubwire_http_requests",
    "HTTP requests served, by method, route template and status code.",
    ["method", "route", "status"],
)
http_duration = Histogram(
    "hubwire_http_request_duration_seconds",
    "Time to serve an HTTP request, by method and route template.",
    ["method", "route"],
)
rate_limit_refusals = Counter(
    "hubwire_rate_limit_refusals",
    "Requests refused with 429 by Hubwire's own rate limits, by the window that refused.",
    ["window"],
)
events_written = Counter(
    "hubwire_events_written",
    "Events committed to the outbox, by event type.",
    ["type"],
)
deliveries = Counter(
    "hubwire_webhook_deliveries",
    "Webhook delivery tries recorded, by outcome: succeeded, retrying (failed, tried again "
    "later) or dead (dead-lettered: out of tries, 410 Gone, or not sendable).",
    ["outcome"],
)
delivery_duration = Histogram(
    "hubwire_webhook_delivery_duration_seconds",
    "Time for a subscriber to answer a webhook delivery try (sent tries only).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
sync_steps = Counter(
    "hubwire_sync_steps",
    "Sync steps (one push batch or one pulled page of one object type), by connector, "
    "direction, object type and result (ok, or error when the step stopped on an error).",
    ["connector", "direction", "object_type", "result"],
)
sync_records = Counter(
    "hubwire_sync_records",
    "Records a sync step handled, by connector, direction and outcome (processed, failed).",
    ["connector", "direction", "outcome"],
)
sync_step_duration = Histogram(
    "hubwire_sync_step_duration_seconds",
    "Time a sync step took, by connector and direction.",
    ["connector", "direction"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
provider_calls = Counter(
    "hubwire_provider_calls",
    "Calls made to a provider's API by the sync engine (each takes a slot of the "
    "connection's rate budget), by connector.",
    ["connector"],
)
token_refresh_failures = Counter(
    "hubwire_token_refresh_failures",
    "Failed refreshes of a connection's access token, by connector.",
    ["connector"],
)

# The children the request path uses, by (method, route, status): ``labels()`` looks its
# child up under a lock each time; this dict is read without one. Bounded like the labels.
_request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def route_label(scope: Mapping[str, Any]) -> str | None:
    """The template of the route that served a request (``/v1/leads/{lead_id}``), under
    the prefix of the app it is mounted in (the sandboxes: ``/sandbox/hubspot``; mounts are
    at fixed paths); None when no route matched."""
    path: str | None = getattr(scope.get("route"), "path", None)
    prefix: str = scope.get("root_path", "")
    if path is None:
        return f"{prefix}/*" if prefix else None
    return prefix + path


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    """One served request; ``route`` is its route template (None: no route matched)."""
    key = (method if method in HTTP_METHODS else "other", route or UNMATCHED, status)
    children = _request_children.get(key)
    if children is None:
        children = (
            http_requests.labels(key[0], key[1], str(status)),
            http_duration.labels(key[0], key[1]),
        )
        _request_children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def rate_limited(window: str) -> None:
    rate_limit_refusals.labels(window).inc()


def event_written(session: AsyncSession, type: str) -> None:
    """Counts an event once its transaction commits (one callback per transaction)."""
    pending: Tally[str] | None = session.info.get("metrics_events")
    if pending is None:
        pending = session.info["metrics_events"] = Tally()

        def count() -> None:
            written: Tally[str] = session.info.pop("metrics_events", Tally())
            for name, n in written.items():
                events_written.labels(name).inc(n)

        after_commit(session, count)
    pending[type] += 1


def deliveries_recorded(session: AsyncSession, tries: list[tuple[str, float | None]]) -> None:
    """Counts a batch of delivery outcomes once its transaction commits: ``(outcome,
    seconds the subscriber took, or None when nothing was sent)`` each."""

    def count() -> None:
        for outcome, n in Tally(outcome for outcome, _ in tries).items():
            deliveries.labels(outcome).inc(n)
        for _, seconds in tries:
            if seconds is not None:
                delivery_duration.observe(seconds)

    after_commit(session, count)


def sync_step(
    connector: str,
    direction: str,
    object_type: str,
    *,
    processed: int,
    failed: int,
    error: bool,
    seconds: float | None,
) -> None:
    sync_steps.labels(connector, direction, object_type, "error" if error else "ok").inc()
    if processed:
        sync_records.labels(connector, direction, "processed").inc(processed)
    if failed:
        sync_records.labels(connector, direction, "failed").inc(failed)
    if seconds is not None:
        sync_step_duration.labels(connector, direction).observe(max(0.0, seconds))


def provider_call_counter(connector: str) -> Any:
    """The counter of one connector's provider calls (``.inc()`` per call)."""
    return provider_calls.labels(connector)


def token_refresh_failed(connector: str) -> None:
    token_refresh_failures.labels(connector).inc()
