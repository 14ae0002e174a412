import asyncio

import pytest

from core.waiting import wait_set


async def test_says_whether_the_event_was_set_in_time() -> None:
    event = asyncio.Event()
    assert await wait_set(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_set(event, 5) is True
    assert await wait_set(event, 0) is True  # already set: no wait


async def test_a_cancellation_that_meets_the_event_being_set_ends_the_waiting_loop() -> None:
    # The event is set and the waiter cancelled before it runs again: asyncio.wait_for on
    # Python 3.11 returns the event's result and loses the cancellation, so a loop like the
    # usage flusher's went on forever and the shutdown awaiting it hung.
    event = asyncio.Event()
    rounds = 0

    async def loop() -> None:
        nonlocal rounds
        while True:
            await wait_set(event, 5)
            event.clear()
            rounds += 1

    task = asyncio.create_task(loop())
    await asyncio.sleep(0.01)
    event.set()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(task), 1)
    assert task.cancelled() and rounds == 0
