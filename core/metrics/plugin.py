"""The metrics' server extension (entry-point group ``hubwire.extensions``): a
``hubwire_sync_result`` observer that counts every sync step, in whichever process runs it
(the embedded worker, a ``hubwire worker``)."""

from __future__ import annotations

from core.metrics.instruments import sync_step
from core.plugins import hookimpl
from core.plugins.types import SyncResult


@hookimpl
def hubwire_sync_result(result: SyncResult) -> None:
    seconds = None
    if result.started_at is not None and result.finished_at is not None:
        seconds = (result.finished_at - result.started_at).total_seconds()
    sync_step(
        result.connector,
        result.direction,
        result.object_type,
        processed=result.processed,
        failed=result.failed,
        error=result.error is not None,
        seconds=seconds,
    )
