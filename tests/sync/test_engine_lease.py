"""Embedded mode's process-wide leases: one holder at a time, and who holds them is told."""

from __future__ import annotations

import asyncio

from sync.engine.lease import LocalLeases, local_holders


async def test_a_held_local_lease_turns_others_away_and_names_its_holder() -> None:
    leases = LocalLeases()
    taken = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with leases.hold("conn_lease_test") as held:
            assert held
            taken.set()
            await release.wait()

    task = asyncio.create_task(holder(), name="the-holder")
    await taken.wait()
    async with leases.hold("conn_lease_test") as second:
        assert not second
    (line,) = [h for h in local_holders() if h.startswith("conn_lease_test ")]
    assert "the-holder (running)" in line and "holder" in line.rsplit(" at ", 1)[1]
    release.set()
    await task
    assert not [h for h in local_holders() if h.startswith("conn_lease_test ")]
    async with leases.hold("conn_lease_test") as again:
        assert again
