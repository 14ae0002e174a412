from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.core.webhooks.receiver import Receiver, running_receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running
