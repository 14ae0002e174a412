"""``hubwire sync run CONNECTION_ID``: a whole sync of one connection in this process, with
a progress bar. No worker needed: it pulls, then pushes everything pending, with the same
engine, leases and provider budget the workers use (shared through Redis when configured,
so it never runs over a worker's calls)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from core.crypto import build_secret_box
from core.database import Database
from core.errors import HubwireError
from core.locks import build_locks
from core.metrics.service import serve_process_metrics
from core.migrations.runner import upgrade
from core.redis_client import connect_redis
from core.settings import Settings, get_settings
from sync.engine.run import SyncRun, sync_connection
from sync.runtime import build_sync_deps
from sync.worker import default_worker

sync_app = typer.Typer(help="Sync connections with their providers.", no_args_is_help=True)


class BarProgress:
    """The engine's progress as rich progress bars: one line per pulled object (pages and
    records; their total is unknown up front) and one for the push (items of the pending
    total)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._pulls: dict[str, tuple[TaskID, int]] = {}
        self._push: TaskID | None = None

    def pulled(self, object_type: str, records: int) -> None:
        if object_type not in self._pulls:
            self._pulls[object_type] = (
                self.progress.add_task(f"pull {object_type}", total=None),
                0,
            )
        task, pages = self._pulls[object_type]
        pages += 1
        self._pulls[object_type] = (task, pages)
        self.progress.update(
            task,
            advance=records,
            description=f"pull {object_type} ({pages} page{'s' if pages > 1 else ''})",
        )

    def push_total(self, pending: int) -> None:
        if self._push is None:
            self._push = self.progress.add_task("push", total=pending)
        else:
            self.progress.update(self._push, total=pending)

    def pushed(self, items: int) -> None:
        if self._push is not None:
            self.progress.update(self._push, advance=items)


async def run_sync(
    settings: Settings,
    connection_id: str,
    *,
    only: str | None = None,
    full: bool = False,
    progress: BarProgress | None = None,
) -> SyncRun:
    """Builds the engine's dependencies the way a worker does and runs one sync."""
    db = Database(settings.database_url)
    redis = connect_redis(settings)
    try:
        deps = build_sync_deps(
            db, settings, build_secret_box(settings), build_locks(settings, redis), redis
        )
        return await sync_connection(deps, connection_id, only=only, full=full, progress=progress)
    finally:
        if redis is not None:
            await redis.aclose()
        await db.dispose()


def _summary(run: SyncRun) -> str:
    pull, push = run.pull, run.push
    lines = [
        f"pulled {pull.records} record(s) in {pull.pages} page(s): {pull.created} created, "
        f"{pull.updated} updated, {pull.linked} linked by email, {pull.unchanged} unchanged, "
        f"{pull.kept} kept (Hubwire's edit was newer), {pull.failed} failed",
        f"pushed {push.pushed} record(s) in {push.batches} batch(es): {push.unchanged} "
        f"already in sync, {push.missing} deleted in Hubwire, {push.failed} failed",
        f"provider calls: {pull.provider_calls + push.provider_calls}",
    ]
    if run.backfilled:
        lines.insert(0, f"queued {run.backfilled} record(s) for a full push")
    return "\n".join(lines)


@sync_app.command("run")
def run(
    connection_id: Annotated[str, typer.Argument(help="The connection, conn_…")],
    object_type: Annotated[
        str | None, typer.Option("--object", help="Only this provider object (e.g. contact).")
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Pull from the beginning instead of the stored cursor, and queue every "
            "Hubwire record for a push (those already in sync are skipped).",
        ),
    ] = False,
) -> None:
    """Pull then push one connection now, with a progress bar."""
    settings = get_settings()
    if settings.is_sqlite:
        upgrade(settings.database_url)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, transient=False) as bars:
            outcome = asyncio.run(
                run_sync(
                    settings,
                    connection_id,
                    only=object_type,
                    full=full,
                    progress=BarProgress(bars),
                )
            )
    except HubwireError as exc:
        typer.secho(f"error: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    typer.echo(_summary(outcome))
    stopped = outcome.push.stopped or outcome.pull.stopped
    if stopped is not None:
        typer.secho(f"error: the sync stopped: {stopped}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues to consume.")
    ] = "webhooks,sync,default",
    concurrency: Annotated[
        int | None, typer.Option(help="Worker threads (default: HUBWIRE_WORKER_CONCURRENCY).")
    ] = None,
    beat: Annotated[bool, typer.Option(help="Also run the sweeper schedule (beat).")] = True,
) -> None:
    """Run a standalone Celery worker (needs HUBWIRE_BROKER_URL), like `celery -A sync worker`."""
    settings = get_settings()
    if not settings.broker_url:
        typer.secho(
            "error: set HUBWIRE_BROKER_URL (redis://… or amqp://…); without a broker, "
            "`hubwire serve` runs the worker in-process.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    argv = [
        "worker",
        f"--queues={queues}",
        f"--concurrency={concurrency or settings.worker_concurrency}",
        "--pool=threads",
        f"--loglevel={settings.log_level}",
    ]
    if beat:
        argv.append("--beat")
    if settings.metrics_enabled and settings.metrics_worker_port:
        serve_process_metrics(settings.metrics_worker_host, settings.metrics_worker_port)
    default_worker().celery.worker_main(argv)
