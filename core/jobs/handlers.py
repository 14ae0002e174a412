"""What each job type does. A handler gets a :class:`JobContext`, opens its own short
units of work, reports progress, and returns the result (camelCase JSON) or raises
:class:`JobFailed` for an outcome the caller should see as the job's ``error``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.calls.analysis import analyse, segments_from
from core.calls.repository import CallRepository
from core.database import Database, utcnow
from core.jobs.repository import JobRepository


class JobFailed(Exception):
    """An expected failure: stored as the job's ``error`` ``{code, message}``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class JobContext:
    db: Database
    job_id: str
    workspace_id: str
    type: str
    input: Mapping[str, Any]
    attempt: int

    async def progress(self, percent: int) -> None:
        """Committed at once, so `GET /v1/jobs/{id}` shows it while the job runs."""
        async with self.db.session() as session:
            await JobRepository(session).set_progress(
                self.job_id, self.attempt, max(0, min(percent, 99)), utcnow()
            )


Handler = Callable[[JobContext], Awaitable[dict[str, Any]]]


async def analyse_call(ctx: JobContext) -> dict[str, Any]:
    call_id = str(ctx.input.get("callId"))
    async with ctx.db.session() as session:
        call = await CallRepository(session).get(ctx.workspace_id, call_id)
        if call is None:
            raise JobFailed("NOT_FOUND", f"Call {call_id} no longer exists.")
        if call.transcript_text is None:
            raise JobFailed("CONFLICT", f"Call {call_id} has no transcript.")
        text, raw_segments, outcome = call.transcript_text, call.transcript_segments, call.outcome
    await ctx.progress(20)
    segments = segments_from(raw_segments)
    # CPU-bound (VADER over up to 200k characters): keep the worker's event loop free.
    result = await asyncio.to_thread(analyse, text=text, segments=segments, outcome=outcome)
    await ctx.progress(90)
    return {"callId": call_id, **result}


# Job type -> handler. Other packages add theirs at start-up with ``register_handler``
# (the sync engine registers ``connection.sync`` when its worker starts).
HANDLERS: dict[str, Handler] = {"call.analysis": analyse_call}


def register_handler(type: str, handler: Handler) -> None:
    """Makes workers run ``handler`` for jobs of ``type``; registering a type again replaces
    its handler (a worker that starts twice in one process registers the same one)."""
    HANDLERS[type] = handler
