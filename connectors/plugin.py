"""The connectors' own server extension (entry-point group ``hubwire.extensions``): adds
``hubwire connectors …`` to the command line through the ``hubwire_cli`` hook. Every
process loads this module with the plugin manager, so the command's module is imported
when the command line is built, not here."""

from __future__ import annotations

import typer

from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_cli(app: typer.Typer) -> None:
    from connectors.cli import connectors_app

    app.add_typer(connectors_app, name="connectors")
