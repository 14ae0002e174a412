"""Background jobs: status, progress, result, and a signed callback when they finish."""

from __future__ import annotations

import base64
import logging
from secrets import token_bytes
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox
from core.database import Database, utcnow
from core.errors import NotFound
from core.events.service import emit, envelope
from core.jobs.handlers import HANDLERS, JobContext, JobFailed
from core.jobs.models import Job
from core.jobs.repository import JOB_SORTING, JobRepository
from core.jobs.schemas import JobFilters, JobOut
from core.listing import ListParams, PageResult, paginate
from core.settings import Settings
from core.tasks import DELIVER_TASK, RUN_JOB_TASK, enqueue_after_commit
from core.webhooks.models import Delivery

logger = logging.getLogger(__name__)

# A job whose worker died this many times is failed instead of taken over again: it is
# probably what kills the worker.
MAX_ATTEMPTS = 3
CALLBACK_SECRET_BYTES = 32


class JobNotFound(NotFound):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"Job {job_id} does not exist.", details={"id": job_id})


class JobService:
    async def create(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        type: str,
        input: dict[str, Any],
        callback_url: str | None = None,
    ) -> Job:
        """Records a queued job; a worker is asked to run it once the request commits."""
        job = Job(
            workspace_id=workspace_id,
            type=type,
            status="queued",
            progress=0,
            input=input,
            callback_url=callback_url,
        )
        JobRepository(session).add(job)
        await session.flush()
        enqueue_after_commit(session, RUN_JOB_TASK, job.id)
        return job

    async def list(
        self, session: AsyncSession, *, workspace_id: str, filters: JobFilters, params: ListParams
    ) -> PageResult:
        stmt = JobRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, JOB_SORTING, params)

    async def get(self, session: AsyncSession, *, workspace_id: str, job_id: str) -> Job:
        job = await JobRepository(session).get(workspace_id, job_id)
        if job is None:
            raise JobNotFound(job_id)
        return job


jobs = JobService()


def new_callback_secret() -> str:
    return "whsec_" + base64.b64encode(token_bytes(CALLBACK_SECRET_BYTES)).decode()


async def callback_secret(session: AsyncSession, secrets: SecretBox, workspace_id: str) -> str:
    """The workspace's job-callback signing secret, created (and stored sealed) on first use."""
    repo = JobRepository(session)
    sealed = await repo.callback_secret(workspace_id)
    if sealed is None:
        plaintext = new_callback_secret()
        if await repo.set_callback_secret_once(workspace_id, secrets.seal(plaintext)):
            return plaintext
        # Another request created it first: everyone must sign and verify with that one.
        sealed = await repo.callback_secret(workspace_id)
        if sealed is None:
            raise NotFound("The workspace does not exist.")
    return secrets.open(sealed)


async def run_job(db: Database, secrets: SecretBox, settings: Settings, job_id: str) -> None:
    """Runs one job in a worker; safe to call twice or concurrently for the same id.

    Claims the job (queued, or running but abandoned by a dead worker), runs its handler,
    stores the result or error, emits ``job.completed`` / ``job.failed`` and queues the
    signed callback, all in the finishing transaction. A finished job is left alone."""
    async with db.session() as session:
        repo = JobRepository(session)
        if not await repo.claim(job_id, utcnow()):
            return
        job = await repo.by_id(job_id)
        if job is None:  # pragma: no cover - claimed a moment ago in this transaction
            return
        ctx = JobContext(db, job.id, job.workspace_id, job.type, dict(job.input), job.attempts)

    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    handler = HANDLERS.get(ctx.type)
    if ctx.attempt > MAX_ATTEMPTS:
        error = {
            "code": "JOB_ABANDONED",
            "message": f"The job was interrupted {MAX_ATTEMPTS} times and was given up.",
        }
    elif handler is None:
        error = {"code": "UNKNOWN_JOB_TYPE", "message": f"No worker handles `{ctx.type}` jobs."}
    else:
        try:
            result = await handler(ctx)
        except JobFailed as exc:
            error = exc.as_error()
        except Exception:
            logger.exception("job %s (%s) failed", ctx.job_id, ctx.type)
            error = {"code": "INTERNAL_ERROR", "message": "The job failed unexpectedly."}
    await _finish(db, secrets, ctx, result, error)


async def _finish(
    db: Database,
    secrets: SecretBox,
    ctx: JobContext,
    result: dict[str, Any] | None,
    error: dict[str, Any] | None,
) -> None:
    async with db.session() as session:
        repo = JobRepository(session)
        values: dict[str, Any] = (
            {"status": "succeeded", "progress": 100, "result": result}
            if error is None
            else {"status": "failed", "error": error}
        )
        if not await repo.finish(ctx.job_id, ctx.attempt, utcnow(), **values):
            return  # taken over by another worker, which will report the outcome
        job = await repo.by_id(ctx.job_id)
        if job is None:  # pragma: no cover - the workspace was deleted meanwhile
            return
        event = emit(
            session,
            workspace_id=job.workspace_id,
            type="job.completed" if error is None else "job.failed",
            data=JobOut.model_validate(job),
        )
        await session.flush()  # assigns the event's id and timestamp for the envelope
        if job.callback_url is not None:
            # The delivery engine signs with the stored secret: make sure there is one even
            # if the partner has not fetched it yet.
            await callback_secret(session, secrets, job.workspace_id)
            session.add(
                Delivery(
                    workspace_id=job.workspace_id,
                    webhook_id=None,
                    event_id=event.id,
                    event_type=event.type,
                    url=job.callback_url,
                    payload=orjson.dumps(envelope(event)).decode(),
                )
            )
            enqueue_after_commit(session, DELIVER_TASK)
