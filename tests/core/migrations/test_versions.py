"""The migrations build exactly the schema the models declare, on both backends: a model
change without its migration (or a migration that drifts from the model) fails here."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

import core.models
from core.settings import Settings


# SQLite cannot reflect expression indexes, so Alembic leaves them out there (with these
# warnings, its and SQLAlchemy's); the PostgreSQL variant compares them.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index"
)
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
async def test_migrated_schema_matches_the_models(app: FastAPI, settings: Settings) -> None:
    # ``app`` has started, so the database is at the newest revision.
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:

            def differences(sync_connection: Any) -> list[Any]:
                context = MigrationContext.configure(sync_connection)
                return list(compare_metadata(context, core.models.Base.metadata))

            found = await connection.run_sync(differences)
    finally:
        await engine.dispose()
    assert found == []
