"""What a pull did (sync/engine/pull.py), whichever hub object it applied."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PullStats:
    """What a pull did; ``stopped`` says why it ended early (None: it ran to the end)."""

    pages: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    linked: int = 0
    unchanged: int = 0
    kept: int = 0  # Hubwire's version was newer (last write wins)
    skipped: int = 0  # the lead was deleted in Hubwire
    deleted: int = 0  # deleted in Hubwire because the provider deleted its record
    failed: int = 0
    provider_calls: int = 0
    stopped: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.created + self.updated

    def add(self, other: PullStats) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors[:10])
        self.stopped = other.stopped or self.stopped


COUNTS = (
    "pages",
    "records",
    "created",
    "updated",
    "linked",
    "unchanged",
    "kept",
    "skipped",
    "deleted",
    "failed",
    "provider_calls",
)
