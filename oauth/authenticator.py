"""Bearer tokens of this package on the public API: OAuth access tokens (``hwo_at_…``)
become ``oauth_app`` principals, user tokens (``hwu_at_…``) become ``user`` principals."""

from __future__ import annotations

from sqlalchemy import select

from core.auth.scopes import role_scopes
from core.database import Database, utcnow
from core.errors import Unauthorized
from core.plugins.auth import Principal
from oauth.models import OAuthApp, Token, User
from oauth.secrets import ACCESS_PREFIX, USER_ACCESS_PREFIX, digest

# A person's own token: rate-limited per user under this tier.
USER_TIER = "standard"


class OAuthTokenAuthenticator:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def authenticate(self, token: str, ip: str | None) -> Principal | None:
        if token.startswith(ACCESS_PREFIX):
            kind = "oauth"
        elif token.startswith(USER_ACCESS_PREFIX):
            kind = "login"
        else:
            return None
        async with self.db.sessionmaker() as session:
            found = (
                await session.execute(
                    select(Token, User, OAuthApp)
                    .outerjoin(User, User.id == Token.user_id)
                    .outerjoin(OAuthApp, OAuthApp.id == Token.app_id)
                    .where(Token.access_token_hash == digest(token), Token.kind == kind)
                )
            ).first()
        if found is None:
            raise Unauthorized("The access token is not valid.")
        row, user, app = found
        if row.revoked_at is not None:
            raise Unauthorized("The access token was revoked.")
        if row.access_expires_at <= utcnow():
            raise Unauthorized("The access token expired; refresh it.")
        if user is not None and user.status != "active":
            raise Unauthorized("The user is disabled.")
        if kind == "login":
            assert user is not None
            return Principal(
                kind="user",
                id=user.id,
                workspace_id=user.workspace_id,
                client_id=None,
                scopes=role_scopes(user.role),
                tier=USER_TIER,
                rate_limit_override=None,
                environment="live",
                role=user.role,
                user_id=user.id,
            )
        if app is None or app.status != "active":
            raise Unauthorized("The OAuth app is not active.")
        scopes = frozenset(row.scopes) & frozenset(app.allowed_scopes)
        if user is not None:
            # A token never outlives a demotion: it holds at most what the role may grant.
            scopes &= role_scopes(user.role)
        return Principal(
            kind="oauth_app",
            id=app.id,
            workspace_id=row.workspace_id,
            # Usage is recorded per app: the app id stands in the client column.
            client_id=app.id,
            scopes=scopes,
            tier=app.rate_limit_tier,
            rate_limit_override=None,
            environment="live",
            role=user.role if user else None,
            user_id=user.id if user else None,
        )
