from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from oauth.models import Token, User
from oauth.secrets import digest


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> User | None:
        return await self.session.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.strip().lower()))

    async def by_session_token(self, token: str) -> User | None:
        """The active user behind a browser session cookie."""
        return await self.session.scalar(
            select(User)
            .join(Token, Token.user_id == User.id)
            .where(
                Token.access_token_hash == digest(token),
                Token.kind == "session",
                Token.revoked_at.is_(None),
                Token.access_expires_at > utcnow(),
                User.status == "active",
            )
        )

    async def token(self, token: str) -> Token | None:
        return await self.session.scalar(
            select(Token).where(Token.access_token_hash == digest(token))
        )

    def add(self, user: User) -> None:
        self.session.add(user)
