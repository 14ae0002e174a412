from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.support.http import client_from


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Each test calls from its own loopback address (see tests.support.http)."""
    async with client_from(app) as client:
        yield client
