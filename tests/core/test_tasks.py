"""Tasks are sent only after a commit, once each, and never after a rollback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from core.container import Services
from core.tasks import enqueue_after_commit


class RecordingQueue:
    """Stands in for the broker to observe what core sends and when."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[Any, ...]]] = []

    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        self.sent.append((name, tuple(args)))


class BrokenQueue:
    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        raise ConnectionError("broker down")


async def test_tasks_wait_for_the_commit_and_are_sent_once(services: Services) -> None:
    queue = RecordingQueue()
    async with services.db.sessionmaker() as session:
        session.info["task_queue"] = queue
        enqueue_after_commit(session, "hubwire.example", "a")
        enqueue_after_commit(session, "hubwire.example", "a")
        enqueue_after_commit(session, "hubwire.example", "b")
        assert queue.sent == []
        await session.commit()
        from core.database import run_after_commit

        run_after_commit(session)
    assert queue.sent == [("hubwire.example", ("a",)), ("hubwire.example", ("b",))]


async def test_a_rollback_sends_nothing(services: Services) -> None:
    queue = RecordingQueue()
    with pytest.raises(RuntimeError):
        async with services.db.session() as session:
            session.info["task_queue"] = queue
            enqueue_after_commit(session, "hubwire.example", "x")
            raise RuntimeError("the transaction fails")
    assert queue.sent == []


async def test_a_broker_failure_does_not_fail_the_committed_work(services: Services) -> None:
    async with services.db.session() as session:
        session.info["task_queue"] = BrokenQueue()
        enqueue_after_commit(session, "hubwire.example", "y")
    # Reaching here is the assertion: the sweeper re-sends what the broker missed.
