"""Tables of the OAuth server and of workspace users (migration 0003).

Every secret (passwords, client secrets, codes, tokens) is stored as a digest only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin, utcnow
from core.ids import new_id
from oauth.secrets import digest_matches


class User(TimestampMixin, Base):
    """A person who logs in to a workspace's dashboard and consents to OAuth apps."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("usr"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    # Stored lower-cased: one account per address across the platform.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    is_super_admin: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class OAuthApp(TimestampMixin, Base):
    """A third-party app registered by a workspace; its id is the OAuth ``client_id``."""

    __tablename__ = "oauth_apps"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("app"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    client_type: Mapped[str] = mapped_column(String(16))  # confidential | public
    client_secret_hash: Mapped[str | None] = mapped_column(String(64))
    redirect_uris: Mapped[list[str]] = mapped_column(default=list)
    allowed_scopes: Mapped[list[str]] = mapped_column(default=list)
    logo_url: Mapped[str | None] = mapped_column(String(2048))
    website: Mapped[str | None] = mapped_column(String(2048))
    rate_limit_tier: Mapped[str] = mapped_column(String(16), default="basic")
    status: Mapped[str] = mapped_column(String(16), default="active")

    # Authlib's ClientMixin, by duck typing (see oauth/server.py).
    def get_client_id(self) -> str:
        return self.id

    def get_default_redirect_uri(self) -> str | None:
        # RFC 9700: no default; every authorization request names its redirect URI.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        # None (Authlib answers `invalid_scope`) rather than silently narrowing the request.
        requested = (scope or "").split()
        if not set(requested) <= set(self.allowed_scopes):
            return None
        return " ".join(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact string comparison (RFC 9700 §2.1): no prefix, no pattern, no normalisation.
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return digest_matches(client_secret, self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.client_type == "public":
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type in ("authorization_code", "refresh_token"):
            return True
        return grant_type == "client_credentials" and self.client_type == "confidential"


class AuthorizationCode(Base):
    """A short-lived, single-use code. ``family_id`` names the tokens it was exchanged for,
    so a replayed code can revoke them."""

    __tablename__ = "oauth_codes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("code"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(String(40))
    redirect_uri: Mapped[str] = mapped_column(String(2048))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(8))
    family_id: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Authlib's AuthorizationCodeMixin, by duck typing.
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return " ".join(self.scopes)


class Token(Base):
    """An access token and, optionally, its refresh token.

    ``kind``: ``oauth`` (issued to an app), ``login`` (a user's own API token) or ``session``
    (the browser cookie of the consent pages; never accepted as a bearer token). Tokens that
    descend from one grant share ``family_id``: replaying a rotated refresh token revokes the
    whole family."""

    __tablename__ = "oauth_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("tok"))
    kind: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(40), index=True)
    app_id: Mapped[str | None] = mapped_column(
        ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[str] = mapped_column(String(40), index=True)
    scopes: Mapped[list[str]] = mapped_column(default=list)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime | None]
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Authlib's TokenMixin, by duck typing.
    def get_scope(self) -> str:
        return " ".join(self.scopes)

    def check_client(self, client: OAuthApp) -> bool:
        return self.app_id == client.id

    def get_expires_in(self) -> int:
        return max(0, int((self.access_expires_at - utcnow()).total_seconds()))

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self) -> bool:
        return self.access_expires_at <= utcnow()


class Consent(TimestampMixin, Base):
    """A user's standing authorization of an app (``/v1/authorizations``)."""

    __tablename__ = "oauth_consents"
    __table_args__ = (UniqueConstraint("user_id", "app_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("auth"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(String(40))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    revoked_at: Mapped[datetime | None]
