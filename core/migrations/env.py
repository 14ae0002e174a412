"""Alembic environment: runs migrations with the app's async engine."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from core.database import UTCDateTime
from core.models import Base, load_plugin_models

config = context.config
# Plugins' tables too (the OAuth server's users, apps, codes and tokens).
load_plugin_models()
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations stay free of app imports: the UTC decorator is a plain timestamptz column.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _record_applied(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    """Tells ``core.migrations.runner.upgrade`` which migrations ran."""
    applied = config.attributes.get("applied")
    if applied is not None and step.is_upgrade:
        doc = (step.up_revision.doc or "").strip().rstrip(".")
        applied.append(f"{step.up_revision_id} {doc}".strip())


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
        on_version_apply=_record_applied,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
