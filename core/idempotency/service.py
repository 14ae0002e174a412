"""``Idempotency-Key`` on POST: the first response is stored for 24 h and replayed.

A key is scoped to the calling principal. The same key with a different method, path or
body is ``IDEMPOTENCY_MISMATCH``; a duplicate that arrives while the first is still running
gets ``409 CONFLICT``. Server errors (5xx) release the key so the client can retry.

Routes whose response carries a secret (a new API key) reserve with ``withholds_secret``:
only the created resource's id is stored, and a repeat gets ``409 CONFLICT`` naming that id
instead of a replay, because the secret is shown once and never written to the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError

from core.database import Database, utcnow
from core.errors import Conflict, HubwireError, IdempotencyMismatch, InvalidRequest
from core.idempotency.models import IdempotencyRecord
from core.idempotency.repository import IdempotencyRepository

MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Reservation:
    record_id: int
    withholds_secret: bool = False


class IdempotentReplay(HubwireError):
    """Raised instead of running the handler; rendered as the stored response."""

    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


class IdempotencyService:
    def __init__(self, db: Database, *, ttl_hours: int, lock_seconds: int) -> None:
        self.db = db
        self.ttl = timedelta(hours=ttl_hours)
        self.lock = timedelta(seconds=lock_seconds)

    async def reserve(
        self, principal_id: str, key: str, fingerprint: str, *, withholds_secret: bool = False
    ) -> Reservation:
        """Claims ``key`` for this request or raises (replay, mismatch, conflict)."""
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidRequest(
                f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} characters, none of them a "
                "control character; a UUID is a good key.",
                details={"header": "Idempotency-Key"},
            )
        now = utcnow()
        async with self.db.session() as session:
            record = IdempotencyRecord(
                principal_id=principal_id,
                key=key,
                request_hash=fingerprint,
                state="processing",
                locked_at=now,
                expires_at=now + self.ttl,
            )
            session.add(record)
            try:
                await session.flush()
                return Reservation(record.id, withholds_secret)
            except IntegrityError:
                await session.rollback()
        async with self.db.session() as session:
            repo = IdempotencyRepository(session)
            existing = await repo.get(principal_id, key)
            if existing is None:  # released between our insert and this read
                raise Conflict("This Idempotency-Key is being processed; retry shortly.")
            if existing.expires_at > now and existing.request_hash != fingerprint:
                raise IdempotencyMismatch(details={"idempotencyKey": key})
            if existing.expires_at > now and existing.state == "completed":
                if existing.secret_withheld:
                    raise _secret_not_replayable(key, existing)
                raise IdempotentReplay(_stored_response(existing))
            if await repo.take_over(existing.id, now - self.lock, now):
                existing.request_hash = fingerprint
                await session.flush()
                return Reservation(existing.id, withholds_secret)
            raise Conflict(
                "A request with this Idempotency-Key is still being processed.",
                details={"idempotencyKey": key},
            )

    async def complete(
        self, reservation: Reservation, status: int, body: bytes, content_type: str
    ) -> None:
        async with self.db.session() as session:
            repo = IdempotencyRepository(session)
            if status >= 500:
                await repo.remove(reservation.record_id)
            elif reservation.withholds_secret:
                await repo.complete(
                    reservation.record_id,
                    status,
                    json.dumps({"id": _resource_id(body)}),
                    content_type,
                    secret_withheld=True,
                )
            else:
                await repo.complete(
                    reservation.record_id,
                    status,
                    body.decode(),
                    content_type,
                    secret_withheld=False,
                )

    async def purge_expired(self) -> int:
        async with self.db.session() as session:
            return await IdempotencyRepository(session).purge_expired(utcnow())


def _resource_id(body: bytes) -> str | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    resource_id = document.get("id") if isinstance(document, dict) else None
    return resource_id if isinstance(resource_id, str) else None


def _secret_not_replayable(key: str, record: IdempotencyRecord) -> Conflict:
    details: dict[str, object] = {"idempotencyKey": key}
    resource_id = _resource_id((record.response_body or "").encode())
    if resource_id is not None:
        details["resourceId"] = resource_id
    return Conflict(
        "This Idempotency-Key already created a credential whose secret is shown only once; "
        "it cannot be replayed. Use the resource it created (rotate it for a new secret).",
        details=details,
    )


def _stored_response(record: IdempotencyRecord) -> Response:
    return Response(
        content=record.response_body or "",
        status_code=record.response_status or 200,
        media_type=record.response_content_type or "application/json",
        headers={"Idempotent-Replayed": "true"},
    )
