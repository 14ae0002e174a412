from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from core.settings import Settings
from tests.support.live_server import live_server


@pytest.fixture(scope="session")
def sdk_server(settings: Settings, app: FastAPI) -> Iterator[str]:
    """A real Hubwire server over loopback for the SDK to talk to (one per backend)."""
    with live_server(settings) as base_url:
        yield base_url
