"""What every ``hubwire`` sub-command shares, core's and plugins' alike (``hubwire users``
comes from ``oauth/``), kept apart from ``core.cli`` so that a plugin's commands import it
without importing the command line that loads them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import Database
from core.errors import HubwireError
from core.migrations.runner import upgrade
from core.settings import get_settings

T = TypeVar("T")


def run_in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs ``work`` in one committed transaction; Hubwire errors become a clean exit 1.
    On SQLite (embedded) the schema is brought up to date first."""
    settings = get_settings()
    if settings.is_sqlite:
        upgrade(settings.database_url)

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            async with db.session() as session:
                return await work(session)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except HubwireError as exc:
        typer.secho(f"error: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
