"""A task queue for tests that records what would go to the broker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Sent:
    def __init__(self) -> None:
        self.tasks: list[tuple[str, tuple[Any, ...]]] = []

    def send(self, name: str, args: Sequence[Any] = ()) -> None:
        self.tasks.append((name, tuple(args)))
