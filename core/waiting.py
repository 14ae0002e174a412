"""Waiting for an event with a timeout that never swallows a cancellation.

``asyncio.wait_for`` on Python 3.11 can lose a cancellation that arrives as its timeout
fires: the waiting task carries on as if never cancelled, so a loop around it runs forever,
and whoever cancelled it and awaits its end waits forever too (the usage flusher did, and an
app's shutdown hung on it). ``asyncio.timeout`` counts cancellations and turns only its own
into ``TimeoutError``; it also wraps no extra task around what it waits for."""

from __future__ import annotations

import asyncio


async def wait_set(event: asyncio.Event, within: float) -> bool:
    """Waits until ``event`` is set, for ``within`` seconds at most: whether it was set."""
    if event.is_set():
        return True
    try:
        async with asyncio.timeout(within):
            await event.wait()
    except TimeoutError:
        return event.is_set()
    return True
