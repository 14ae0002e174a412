"""Calendly the way `make run` shows it: `hubwire serve --demo` with the sandboxes mounted,
the consent at the mounted sandbox, and a booking made there arriving in Hubwire as an
appointment: the sandbox's signed webhook reaches Hubwire over HTTP, the worker pulls."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.consent import approve
from tests.support.processes import DemoServer, demo_server

WAIT = 60.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoServer, str]]:
    with demo_server(tmp_path_factory.mktemp("calendly-demo")) as server:
        match = re.search(r"Demo key:\s+(\S+)", server.log.read_text())
        assert match, server.log.read_text()
        yield server, match.group(1)


async def test_a_booking_in_the_sandbox_arrives_as_an_appointment(
    demo: tuple[DemoServer, str],
) -> None:
    server, key = demo
    headers = {"Authorization": f"Bearer {key}"}
    sandbox = f"{server.base}/sandbox/calendly"
    async with httpx.AsyncClient(base_url=server.base, headers=headers, timeout=30) as api:
        created = await api.post("/v1/connections", json={"connector": "calendly"})
        assert created.status_code == 201, created.text
        assert created.json()["authorizeUrl"].startswith(f"{sandbox}/oauth/authorize")
        landed = await api.get(await approve(created.json()["authorizeUrl"]))
        assert landed.status_code < 400, landed.text

        booked = await api.post(
            f"{sandbox}/_sandbox/bookings",
            json={"email": "ada@example.com", "name": "Ada", "start_time": "2030-06-01T09:00:00Z"},
        )
        assert booked.status_code == 201, booked.text
        outbox = (await api.get(f"{sandbox}/_sandbox/outbox")).json()["collection"]
        assert [m["status"] for m in outbox] == [202]  # Hubwire accepted the signed webhook

        deadline = time.monotonic() + WAIT
        found: list[dict[str, Any]] = []
        while not found:
            assert time.monotonic() < deadline, server.log.read_text()
            await asyncio.sleep(0.2)
            found = (await api.get("/v1/appointments", params={"source": "calendly"})).json()[
                "data"
            ]
        assert found[0]["startsAt"] == "2030-06-01T09:00:00Z"
        lead = (await api.get(f"/v1/leads/{found[0]['leadId']}")).json()
        assert lead["email"] == "ada@example.com"
