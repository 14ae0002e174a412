"""Workspace users: creation, password login, token refresh, logout, password change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.errors import Conflict, HubwireError, InvalidRequest, NotFound, RateLimited, Unauthorized
from core.plugins.auth import Principal
from core.ratelimit.limiter import Limiter
from core.ratelimit.policy import LOGIN_PER_ACCOUNT, LOGIN_PER_IP, class_window
from core.workspaces.models import Workspace
from oauth import tokens
from oauth.models import User
from oauth.secrets import (
    SESSION_PREFIX,
    USER_ACCESS_PREFIX,
    USER_REFRESH_PREFIX,
    digest,
    hash_password,
    verify_password,
)
from oauth.users.repository import UserRepository
from oauth.users.schemas import UserOut

ROLES = ("owner", "admin", "member")
MIN_PASSWORD_LENGTH = 12
# One message for an unknown email and a wrong password: a failure reveals nothing.
BAD_LOGIN = "The email or password is incorrect."


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: User
    access_token: str
    refresh_token: str
    session_token: str
    expires_in: int


class UserService:
    async def create(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        email: str,
        password: str,
        role: str,
        name: str | None = None,
        super_admin: bool = False,
    ) -> User:
        if role not in ROLES:
            raise InvalidRequest(f"role must be one of {', '.join(ROLES)}.", details={"role": role})
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidRequest(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
        normalized = email.strip().lower()
        if "@" not in normalized:
            raise InvalidRequest("That is not an email address.", details={"email": email})
        if await session.get(Workspace, workspace_id) is None:
            raise NotFound("The workspace does not exist.")
        repo = UserRepository(session)
        if await repo.by_email(normalized) is not None:
            raise Conflict("A user with this email already exists.", details={"email": normalized})
        user = User(
            workspace_id=workspace_id,
            email=normalized,
            name=name,
            password_hash=hash_password(password),
            role=role,
            is_super_admin=super_admin,
        )
        repo.add(user)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("A user with this email already exists.") from exc
        return user

    async def login(
        self,
        session: AsyncSession,
        *,
        limiter: Limiter | None,
        email: str,
        password: str,
        ip: str | None,
    ) -> LoginResult:
        normalized = email.strip().lower()
        if limiter is not None:
            decision = await limiter.hit(
                [
                    class_window(LOGIN_PER_ACCOUNT, f"login:{digest(normalized)}"),
                    class_window(LOGIN_PER_IP, f"ip:{ip}"),
                ]
            )
            if not decision.allowed:
                raise RateLimited(
                    "Too many login attempts; try again shortly.",
                    details={"retryAfter": decision.retry_after},
                    headers={"Retry-After": str(decision.retry_after)},
                )
        user = await UserRepository(session).by_email(normalized)
        # Verified even for unknown emails (against a dummy hash) so timing reveals nothing.
        valid = verify_password(password, user.password_hash if user else None)
        if user is None or not valid or user.status != "active":
            raise Unauthorized(BAD_LOGIN)
        user.last_login_at = utcnow()
        return await self._issue(session, user)

    async def _issue(self, session: AsyncSession, user: User) -> LoginResult:
        family = tokens.new_family()
        scopes: list[str] = []  # a user's scopes follow its role at each request

        def issue(sync: object) -> tuple[tokens.Issued, tokens.Issued]:
            from sqlalchemy.orm import Session

            assert isinstance(sync, Session)
            api = tokens.issue(
                sync,
                kind="login",
                workspace_id=user.workspace_id,
                user_id=user.id,
                family_id=family,
                scopes=scopes,
                access_prefix=USER_ACCESS_PREFIX,
                refresh_prefix=USER_REFRESH_PREFIX,
            )
            browser = tokens.issue(
                sync,
                kind="session",
                workspace_id=user.workspace_id,
                user_id=user.id,
                family_id=family,
                scopes=scopes,
                access_prefix=SESSION_PREFIX,
                refresh_prefix=None,
                access_ttl=tokens.SESSION_TTL,
            )
            return api, browser

        api, browser = await session.run_sync(issue)
        assert api.refresh_token is not None
        return LoginResult(
            user=user,
            access_token=api.access_token,
            refresh_token=api.refresh_token,
            session_token=browser.access_token,
            expires_in=int(tokens.ACCESS_TTL.total_seconds()),
        )

    async def refresh(self, session: AsyncSession, *, refresh_token: str) -> LoginResult:
        """Rotates a user's refresh token; a replayed one revokes its whole family."""
        claimed = await session.run_sync(
            lambda sync: tokens.claim_refresh_token(sync, refresh_token, kind="login", app_id=None)
        )
        user = (
            await UserRepository(session).get(claimed.user_id)
            if claimed and claimed.user_id
            else None
        )
        if claimed is None or user is None or user.status != "active":
            # A replay has just revoked the token family: that must outlive this refusal,
            # which rolls the request's transaction back.
            await session.commit()
            raise _RefreshRefused("The refresh token is not valid.")
        family = claimed.family_id

        def issue(sync: object) -> tokens.Issued:
            from sqlalchemy.orm import Session

            assert isinstance(sync, Session)
            return tokens.issue(
                sync,
                kind="login",
                workspace_id=user.workspace_id,
                user_id=user.id,
                family_id=family,
                scopes=[],
                access_prefix=USER_ACCESS_PREFIX,
                refresh_prefix=USER_REFRESH_PREFIX,
            )

        api = await session.run_sync(issue)
        assert api.refresh_token is not None
        return LoginResult(
            user=user,
            access_token=api.access_token,
            refresh_token=api.refresh_token,
            session_token="",
            expires_in=int(tokens.ACCESS_TTL.total_seconds()),
        )

    async def logout(self, session: AsyncSession, *, token: str | None) -> None:
        """Ends the login the presented token (bearer or session cookie) belongs to."""
        row = await UserRepository(session).token(token) if token else None
        if row is not None and row.kind in ("login", "session"):
            family = row.family_id
            await session.run_sync(lambda sync: tokens.revoke_family(sync, family))

    async def change_password(
        self, session: AsyncSession, *, user_id: str, current: str, new: str
    ) -> None:
        user = await UserRepository(session).get(user_id)
        if user is None or not verify_password(current, user.password_hash):
            raise Unauthorized("The current password is incorrect.")
        if current == new:
            raise InvalidRequest("The new password must differ from the current one.")
        user.password_hash = hash_password(new)
        user.password_changed_at = utcnow()
        # Every login (API tokens and browser sessions) ends; OAuth grants stay.
        await session.run_sync(
            lambda sync: tokens.revoke_user(sync, user_id, kinds=("login", "session"))
        )

    async def get(self, session: AsyncSession, user_id: str) -> User:
        user = await UserRepository(session).get(user_id)
        if user is None:
            raise NotFound("The user does not exist.")
        return user

    async def me(self, session: AsyncSession, principal: Principal) -> dict[str, Any]:
        """The person behind ``principal`` with its workspace and this credential's scopes."""
        assert principal.user_id is not None
        user = await self.get(session, principal.user_id)
        workspace = await session.get(Workspace, user.workspace_id)
        if workspace is None:
            raise NotFound("The workspace does not exist.")
        return {
            **UserOut.model_validate(user).model_dump(),
            "workspace_slug": workspace.slug,
            "workspace_name": workspace.name,
            "scopes": sorted(principal.scopes),
            "label": f"{workspace.name} ({workspace.slug})",
        }


class _RefreshRefused(HubwireError):
    code, status, default_message = "UNAUTHORIZED", 401, "The refresh token is not valid."


users = UserService()
