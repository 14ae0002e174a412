"""Runs Alembic programmatically, so ``hubwire migrate`` needs no alembic.ini."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _ensure_sqlite_dir(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def upgrade(database_url: str, revision: str = "head") -> list[str]:
    """Migrates to ``revision``; returns the migrations applied (``"0007 push item
    backoff"``), oldest first; empty when the database was up to date."""
    _ensure_sqlite_dir(database_url)
    config = alembic_config(database_url)
    applied: list[str] = []
    # env.py appends each migration it runs (Alembic's on_version_apply).
    config.attributes["applied"] = applied
    command.upgrade(config, revision)
    return applied


async def upgrade_async(database_url: str, revision: str = "head") -> list[str]:
    # Alembic's env starts its own event loop, so it runs on a worker thread.
    return await asyncio.to_thread(upgrade, database_url, revision)
