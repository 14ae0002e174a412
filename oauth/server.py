"""The FastAPI adapter for Authlib's authorization server.

Authlib ships no FastAPI integration and its grants are synchronous. Each request builds a
small ``HubwireAuthorizationServer`` around a *synchronous* ``Session`` obtained through
``AsyncSession.run_sync`` (SQLAlchemy runs it on the request's own connection through
greenlets), so Authlib's callbacks query the database directly, inside the request's one
transaction, without threads or a second engine.

RFC 9700 choices live here: exact redirect URIs (``OAuthApp.check_redirect_uri``), PKCE
with ``S256`` only (required for public clients), single-use codes whose replay revokes
what they issued, rotating refresh tokens whose replay revokes the family, and no implicit
or password grant (they are simply not registered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from authlib.oauth2.base import invalid_error_characters  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749 import (  # type: ignore[import-untyped]
    AuthorizationServer,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Payload,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import CodeChallenge  # type: ignore[import-untyped]
from authlib.oauth2.rfc7662 import IntrospectionEndpoint  # type: ignore[import-untyped]
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core.auth.scopes import ALL_SCOPES, role_scopes
from core.database import utcnow
from core.workspaces.models import Workspace
from oauth import tokens
from oauth.models import AuthorizationCode, OAuthApp, Token, User
from oauth.secrets import ACCESS_PREFIX, REFRESH_PREFIX, digest, new_token

CODE_PREFIX = "hwo_ac_"
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
# What an `error_description` may hold (RFC 6749 §4.1.2.1), `%` aside: it is the escape.
_DESCRIBABLE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in '"\\%')


def describable(value: str) -> str:
    """``value`` as an ``error_description`` may quote it: the characters RFC 6749 leaves
    out (``"``, ``\\``, controls, non-ASCII) percent-encoded. Authlib raises ``ValueError``
    for a description that holds them, so request values are quoted through this."""
    return quote(value, safe=_DESCRIBABLE)


class FormPayload(OAuth2Payload):  # type: ignore[misc]
    """Query and form parameters, every value kept (Authlib refuses repeated parameters)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._datalist: dict[str, list[str]] = {}
        for key, value in pairs:
            self._datalist.setdefault(key, []).append(value)

    @property
    def data(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._datalist.items()}

    @property
    def datalist(self) -> dict[str, list[str]]:
        return self._datalist


class HubwireRequest(OAuth2Request):  # type: ignore[misc]
    """An ``OAuth2Request`` built from what FastAPI already parsed."""

    def __init__(
        self,
        method: str,
        headers: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        form: Iterable[tuple[str, str]] = (),
    ) -> None:
        # Authlib's own transport check needs an https URI; HTTPS is enforced by the
        # deployment (TLS terminates in front of the app), not by this object.
        super().__init__(method=method, uri="https://hubwire.invalid/oauth", headers=headers)
        self._query = list(query)
        self._form = list(form)
        self.payload = FormPayload([*self._query, *self._form])

    def replacing(self, name: str, value: str) -> HubwireRequest:
        """The same request with every ``name`` parameter set to ``value``."""

        def swap(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
            return [(key, value if key == name else old) for key, old in pairs]

        copy = HubwireRequest(self.method, self.headers, swap(self._query), swap(self._form))
        copy.user = self.user
        return copy

    @property
    def args(self) -> dict[str, str]:
        return dict(self._query)

    @property
    def form(self) -> dict[str, str]:
        return dict(self._form)


@dataclass(frozen=True, slots=True)
class OAuthResponse:
    status: int
    body: Any
    headers: list[tuple[str, str]]


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    @property
    def db(self) -> Session:
        return cast(HubwireAuthorizationServer, self.server).db

    @staticmethod
    def validate_authorization_redirect_uri(request: HubwireRequest, client: OAuthApp) -> str:
        # Authlib quotes an unregistered URI in its error as sent; ours is describable.
        uri = request.payload.redirect_uri
        if uri and not client.check_redirect_uri(uri):
            raise InvalidRequestError(
                f"Redirect URI {describable(uri)} is not registered for this client."
            )
        registered: str = grants.AuthorizationCodeGrant.validate_authorization_redirect_uri(
            request, client
        )
        return registered

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        user = self.request.user
        requested = set((self.request.scope or "").split())
        if not requested:
            raise InvalidScopeError("Request at least one scope.", redirect_uri=redirect_uri)
        if user is not None and not requested <= role_scopes(user.role):
            raise InvalidScopeError(
                "Your role cannot grant: " + " ".join(sorted(requested - role_scopes(user.role))),
                redirect_uri=redirect_uri,
            )
        return redirect_uri

    def generate_authorization_code(self) -> str:
        return new_token(CODE_PREFIX)

    def save_authorization_code(self, code: str, request: HubwireRequest) -> None:
        data = request.payload.data
        user: User = request.user
        self.db.add(
            AuthorizationCode(
                code_hash=digest(code),
                app_id=request.client.id,
                user_id=user.id,
                workspace_id=user.workspace_id,
                redirect_uri=data["redirect_uri"],
                scopes=sorted(set(request.scope.split())),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                family_id=tokens.new_family(),
                expires_at=utcnow() + tokens.CODE_TTL,
            )
        )
        self.db.flush()

    def query_authorization_code(self, code: str, client: OAuthApp) -> AuthorizationCode | None:
        # One UPDATE claims the code, so it is spent even if a later check fails and two
        # concurrent exchanges cannot both win. A spent code coming back means it leaked:
        # revoke every token it produced (RFC 6749 §4.1.2, RFC 9700 §4.2).
        now = utcnow()
        hashed = digest(code)
        claimed = cast(
            CursorResult[Any],
            self.db.execute(
                update(AuthorizationCode)
                .where(
                    AuthorizationCode.code_hash == hashed,
                    AuthorizationCode.app_id == client.id,
                    AuthorizationCode.used_at.is_(None),
                    AuthorizationCode.expires_at > now,
                )
                .values(used_at=now)
            ),
        )
        row = self.db.scalar(
            select(AuthorizationCode).where(
                AuthorizationCode.code_hash == hashed, AuthorizationCode.app_id == client.id
            )
        )
        if claimed.rowcount == 1:
            return row
        if row is not None and row.used_at is not None:
            tokens.revoke_family(self.db, row.family_id)
        return None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Kept, marked used: a replay must still be recognised."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        return _active_user(self.db, authorization_code.user_id)


class S256CodeChallenge(CodeChallenge):  # type: ignore[misc]
    """PKCE with ``S256`` only: required for public clients, accepted for confidential
    ones; ``plain`` (and a challenge without a method, which means plain) is refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: AuthorizationCodeGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if grant.request.client.client_type == "public" and not challenge:
            raise InvalidRequestError("Public clients must send a PKCE 'code_challenge' (S256).")
        if challenge and method != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation (RFC 9700 §4.14.2)

    @property
    def db(self) -> Session:
        return cast(HubwireAuthorizationServer, self.server).db

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        return tokens.claim_refresh_token(
            self.db, refresh_token, kind="oauth", app_id=self.request.client.id
        )

    def authenticate_user(self, refresh_token: Token) -> User | None:
        return _active_user(self.db, refresh_token.user_id) if refresh_token.user_id else None

    def revoke_old_credential(self, refresh_token: Token) -> None:
        """Already marked rotated when it was claimed."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    # "none" authenticates a public client only so it is told `unauthorized_client`:
    # `check_grant_type` never lets a public client use this grant.
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_token_request(self) -> None:
        super().validate_token_request()
        if self.request.client.get_allowed_scope(self.request.payload.scope) is None:
            raise InvalidScopeError("The app is not allowed these scopes.")


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        db = cast(HubwireAuthorizationServer, self.server).db
        return _oauth_token(db, token_string, token_type_hint)

    def revoke_token(self, token: Token, request: HubwireRequest) -> None:
        # Revoking either token ends the grant: its access and refresh tokens together.
        tokens.revoke_family(cast(HubwireAuthorizationServer, self.server).db, token.family_id)


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        db = cast(HubwireAuthorizationServer, self.server).db
        return _oauth_token(db, token_string, token_type_hint)

    def check_permission(self, token: Token, client: OAuthApp, request: HubwireRequest) -> bool:
        return token.app_id == client.id

    def introspect_token(self, token: Token) -> dict[str, Any]:
        db = cast(HubwireAuthorizationServer, self.server).db
        user = db.get(User, token.user_id) if token.user_id else None
        return {
            "active": token.revoked_at is None and not token.is_expired(),
            "scope": token.get_scope(),
            "client_id": token.app_id,
            "username": user.email if user else None,
            "sub": token.user_id,
            "token_type": "Bearer",
            "exp": int(token.access_expires_at.timestamp()),
            "iat": int(token.created_at.timestamp()),
            "workspace_id": token.workspace_id,
        }


class HubwireAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, db: Session) -> None:
        super().__init__(scopes_supported=sorted(ALL_SCOPES))
        self.db = db
        self.register_token_generator("default", self._generate_token)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_grant(ClientCredentialsGrant)
        self.register_endpoint(Revocation)
        self.register_endpoint(Introspection)

    def get_authorization_grant(self, request: HubwireRequest) -> Any:
        response_type = request.payload.response_type
        if response_type and invalid_error_characters(response_type):
            # Authlib quotes an unsupported response_type in its error. The describable form
            # is just as unsupported, so Authlib answers the same error and redirect for it.
            request = request.replacing("response_type", describable(response_type))
        return super().get_authorization_grant(request)

    def query_client(self, client_id: str) -> OAuthApp | None:
        """An active app of an active workspace: a suspended workspace's apps are unknown
        clients (`invalid_client`) until it is reactivated, as its other credentials are
        refused (core/workspaces/status.py)."""
        app = self.db.get(OAuthApp, client_id) if client_id else None
        if app is None or app.status != "active":
            return None
        owner = self.db.scalar(select(Workspace.status).where(Workspace.id == app.workspace_id))
        return app if owner == "active" else None

    def _generate_token(
        self,
        grant_type: str,
        client: OAuthApp,
        user: User | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        if grant_type == "client_credentials" and not scope:
            scope = " ".join(sorted(client.allowed_scopes))
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": new_token(ACCESS_PREFIX),
            "expires_in": int(tokens.ACCESS_TTL.total_seconds()),
            "scope": scope or "",
        }
        if include_refresh_token and user is not None:
            token["refresh_token"] = new_token(REFRESH_PREFIX)
        return token

    def save_token(self, token: dict[str, Any], request: HubwireRequest) -> None:
        user: User | None = request.user
        client: OAuthApp = request.client
        if request.authorization_code is not None:
            family = request.authorization_code.family_id
        elif request.refresh_token is not None:
            family = request.refresh_token.family_id
        else:
            family = tokens.new_family()
        tokens.issue(
            self.db,
            kind="oauth",
            workspace_id=user.workspace_id if user else client.workspace_id,
            app_id=client.id,
            user_id=user.id if user else None,
            family_id=family,
            scopes=token["scope"].split(),
            access_prefix=ACCESS_PREFIX,
            refresh_prefix=None,
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token"),
        )

    def create_oauth2_request(self, request: HubwireRequest) -> HubwireRequest:
        return request

    def create_json_request(self, request: HubwireRequest) -> HubwireRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuthResponse:
        return OAuthResponse(status, body, list(headers or []))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No listeners."""


def _active_user(db: Session, user_id: str) -> User | None:
    user = db.get(User, user_id)
    return user if user is not None and user.status == "active" else None


def _oauth_token(db: Session, token_string: str, hint: str | None) -> Token | None:
    hashed = digest(token_string)
    columns = [Token.access_token_hash, Token.refresh_token_hash]
    if hint == "refresh_token":
        columns.reverse()
    for column in columns:
        row = db.scalar(select(Token).where(column == hashed, Token.kind == "oauth"))
        if row is not None:
            return row
    return None
