"""The sync engine's server extension (entry-point group ``hubwire.extensions``): adds
``hubwire sync …`` to the command line through the ``hubwire_cli`` hook. Imported when the
plugin manager loads, so it stays light: the engine is imported when a command runs."""

from __future__ import annotations

import typer

from connectors.hookspecs import hookimpl


@hookimpl
def hubwire_cli(app: typer.Typer) -> None:
    from sync.cli import sync_app

    app.add_typer(sync_app, name="sync")
