"""The sync engine's server extension (entry-point group ``hubwire.extensions``): the
background-task runtime every server process uses (``hubwire_task_runtime``), and
``hubwire worker`` and ``hubwire sync …`` on the command line (``hubwire_cli``).

Every process loads this module with the plugin manager, so it imports neither Celery nor
the engine: each hook imports what it hands over when it is called."""

from __future__ import annotations

import typer

from core.plugins import hookimpl
from core.settings import Settings
from core.tasks import TaskRuntime


@hookimpl
def hubwire_cli(app: typer.Typer) -> None:
    from sync.cli import sync_app, worker

    app.add_typer(sync_app, name="sync")
    app.command()(worker)


@hookimpl
def hubwire_task_runtime(settings: Settings) -> TaskRuntime:
    from sync.worker import TaskBridge

    return TaskBridge(settings)
