"""Issuing, rotating and revoking tokens. Synchronous on purpose: Authlib's grants call
these from inside ``AsyncSession.run_sync`` (see oauth/server.py), and the async login
endpoints reach the same functions the same way, so both share one implementation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core.database import utcnow
from core.ids import new_id
from oauth.models import Token
from oauth.secrets import digest, new_token

ACCESS_TTL = timedelta(hours=1)
REFRESH_TTL = timedelta(days=30)
SESSION_TTL = timedelta(hours=12)
CODE_TTL = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Issued:
    row: Token
    access_token: str
    refresh_token: str | None


def new_family() -> str:
    return new_id("fam")


def issue(
    session: Session,
    *,
    kind: str,
    workspace_id: str,
    scopes: list[str],
    family_id: str,
    access_prefix: str,
    refresh_prefix: str | None,
    app_id: str | None = None,
    user_id: str | None = None,
    access_ttl: timedelta = ACCESS_TTL,
    access_token: str | None = None,
    refresh_token: str | None = None,
) -> Issued:
    """Stores a new token (digests only) and returns the plaintext once."""
    now = utcnow()
    access = access_token or new_token(access_prefix)
    refresh = refresh_token or (new_token(refresh_prefix) if refresh_prefix else None)
    row = Token(
        kind=kind,
        workspace_id=workspace_id,
        app_id=app_id,
        user_id=user_id,
        family_id=family_id,
        scopes=sorted(set(scopes)),
        access_token_hash=digest(access),
        refresh_token_hash=digest(refresh) if refresh else None,
        access_expires_at=now + access_ttl,
        refresh_expires_at=now + REFRESH_TTL if refresh else None,
    )
    session.add(row)
    session.flush()
    return Issued(row, access, refresh)


def by_access_token(session: Session, token: str) -> Token | None:
    return session.scalar(select(Token).where(Token.access_token_hash == digest(token)))


def by_refresh_token(session: Session, token: str) -> Token | None:
    return session.scalar(select(Token).where(Token.refresh_token_hash == digest(token)))


def claim_refresh_token(
    session: Session, token: str, *, kind: str, app_id: str | None
) -> Token | None:
    """Spends a refresh token: the one UPDATE that marks it rotated decides, so two
    concurrent refreshes cannot both succeed. A token that was already rotated is a replay
    (RFC 9700 §4.14.2): its whole family is revoked and None returned."""
    now = utcnow()
    hashed = digest(token)
    conditions = [
        Token.refresh_token_hash == hashed,
        Token.kind == kind,
        Token.rotated_at.is_(None),
        Token.revoked_at.is_(None),
        Token.refresh_expires_at > now,
    ]
    if app_id is not None:
        conditions.append(Token.app_id == app_id)
    result = cast(
        CursorResult[Any], session.execute(update(Token).where(*conditions).values(rotated_at=now))
    )
    row = session.scalar(select(Token).where(Token.refresh_token_hash == hashed))
    if result.rowcount == 1:
        return row
    if row is not None and row.kind == kind and row.rotated_at is not None:
        revoke_family(session, row.family_id)
    return None


def revoke_family(session: Session, family_id: str) -> None:
    session.execute(
        update(Token)
        .where(Token.family_id == family_id, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_app(session: Session, user_id: str, app_id: str) -> None:
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.app_id == app_id, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user(session: Session, user_id: str, *, kinds: tuple[str, ...]) -> None:
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.kind.in_(kinds), Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
