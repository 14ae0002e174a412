"""Access to the real PostgreSQL and Redis servers the suite runs against."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy.engine import make_url


def _required(variable: str) -> str:
    value = os.environ.get(variable, "")
    if value:
        return value
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{variable} is not set: CI must run the suite against the real server")
    pytest.skip(f"{variable} is not set (the PostgreSQL+Redis variant runs in CI)")


def redis_url_or_fail() -> str:
    return _required("HUBWIRE_TEST_REDIS_URL")


@asynccontextmanager
async def temporary_database(server_url: str, prefix: str = "hubwire_test") -> AsyncIterator[str]:
    """A fresh, empty database on the PostgreSQL server at ``server_url``, dropped afterwards;
    yields its ``postgresql+asyncpg://`` URL. The benchmarks use it too."""
    base = make_url(server_url)
    name = f"{prefix}_{secrets.token_hex(6)}"
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield base.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    async with temporary_database(_required("HUBWIRE_TEST_POSTGRES_URL")) as url:
        yield url


def amqp_url_or_fail() -> str:
    return _required("HUBWIRE_TEST_AMQP_URL")
