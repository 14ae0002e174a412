"""Buffers one record per request in memory and writes them in batches.

The request path only appends to a deque; a background task flushes every
``usage_flush_seconds`` (or sooner when a batch fills) and on shutdown. If the database is
unavailable, records stay buffered up to ``usage_buffer_max`` and the oldest are dropped
(and counted) beyond that, so an outage cannot exhaust memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import insert

from core.api_keys.repository import ApiKeyRepository
from core.database import Database
from core.usage.models import UsageLog
from core.waiting import wait_set

logger = logging.getLogger("hubwire.usage")


@dataclass(frozen=True, slots=True)
class UsageEntry:
    timestamp: datetime
    workspace_id: str | None
    client_id: str | None
    key_id: str | None
    request_id: str
    method: str
    endpoint: str
    status_code: int
    response_time_ms: float
    ip: str | None
    user_agent: str | None
    request_bytes: int
    response_bytes: int


_ENTRY_FIELDS = tuple(field.name for field in fields(UsageEntry))


def _row(entry: UsageEntry) -> dict[str, object]:
    # Not dataclasses.asdict: it deep-copies every value, a cost paid on every request.
    return {name: getattr(entry, name) for name in _ENTRY_FIELDS}


class UsageRecorder:
    def __init__(
        self, db: Database, *, flush_seconds: float, batch_size: int, max_buffered: int
    ) -> None:
        self.db = db
        self.flush_seconds = flush_seconds
        self.batch_size = batch_size
        self.max_buffered = max_buffered
        self._buffer: deque[UsageEntry] = deque(maxlen=max_buffered)
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self.dropped = 0

    def record(self, entry: UsageEntry) -> None:
        if len(self._buffer) == self._buffer.maxlen:
            self.dropped += 1
        self._buffer.append(entry)
        if len(self._buffer) >= self.batch_size:
            self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._buffer)

    async def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name="usage-flusher")

    async def stop(self) -> None:
        """Ends the flusher once the write it is doing is done (cancelled mid-write, it would
        lose the batch it took), then writes what is left."""
        if self._task is not None:
            self._stopping.set()
            self._wake.set()
            await self._task
            self._task = None
        await self.flush()

    async def _run(self) -> None:
        while True:
            await wait_set(self._wake, self.flush_seconds)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                await self.flush()
            except Exception:
                logger.exception("usage flush failed; %d records kept for retry", self.pending)
                await wait_set(self._stopping, self.flush_seconds)

    async def flush(self) -> int:
        """Writes everything buffered so far; returns how many records were written."""
        async with self._flush_lock:
            written = 0
            while self._buffer:
                batch = [self._buffer.popleft() for _ in range(min(len(self._buffer), 1000))]
                try:
                    await self._write(batch)
                except Exception:
                    self._requeue(batch)
                    raise
                written += len(batch)
            return written

    def _requeue(self, batch: list[UsageEntry]) -> None:
        """Puts a failed batch back in front of what was recorded meanwhile. Beyond the
        bound the oldest records go, and are counted, as when recording."""
        room = self.max_buffered - len(self._buffer)
        if len(batch) > room:
            self.dropped += len(batch) - room
            batch = batch[len(batch) - room :]
        self._buffer.extendleft(reversed(batch))

    async def _write(self, batch: list[UsageEntry]) -> None:
        last_used: dict[str, datetime] = {}
        for entry in batch:
            if entry.key_id and entry.status_code < 500:
                seen = last_used.get(entry.key_id)
                if seen is None or entry.timestamp > seen:
                    last_used[entry.key_id] = entry.timestamp
        async with self.db.session() as session:
            await session.execute(insert(UsageLog), [_row(entry) for entry in batch])
            await ApiKeyRepository(session).touch_last_used(last_used)
