"""The authorization server's HTTP endpoints (RFC 6749, 7009, 7662, 8414).

They speak OAuth, not the Hubwire envelope: errors are ``{"error", "error_description"}``
or a redirect to the client, as the RFCs say. They are described by the RFC 8414 metadata
document rather than the OpenAPI spec, hence ``include_in_schema=False``."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import OAuth2Error  # type: ignore[import-untyped]
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session as SyncSession

from core.auth.scopes import ALL_SCOPES, SCOPES
from core.deps import Session, services_of
from core.errors import RateLimited, Unauthorized
from core.workspaces.models import Workspace
from oauth import pages
from oauth.deps import CSRF_COOKIE, SESSION_COOKIE
from oauth.models import Consent, OAuthApp, User
from oauth.server import HubwireAuthorizationServer, HubwireRequest, OAuthResponse
from oauth.users.endpoints import browser_login
from oauth.users.repository import UserRepository

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_FORM_ONLY = ("csrf_token", "decision")


def _issuer(request: Request) -> str:
    settings = services_of(request).settings
    if settings.environment == "production":
        return settings.public_base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


@router.get("/.well-known/oauth-authorization-server")
async def metadata(request: Request) -> JSONResponse:
    issuer = _issuer(request)
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth/authorize",
            "token_endpoint": f"{issuer}/oauth/token",
            "revocation_endpoint": f"{issuer}/oauth/revoke",
            "introspection_endpoint": f"{issuer}/oauth/introspect",
            "scopes_supported": sorted(ALL_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "revocation_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "introspection_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "code_challenge_methods_supported": ["S256"],
            "service_documentation": f"{issuer}/docs",
        }
    )


def _response(result: OAuthResponse, *, no_store: bool = True) -> Response:
    headers = dict(result.headers)
    if no_store:
        headers.update(_NO_STORE)
    if isinstance(result.body, dict):
        headers.pop("Content-Type", None)
        return JSONResponse(result.body, status_code=result.status, headers=headers)
    return Response(content=result.body or b"", status_code=result.status, headers=headers)


def _html(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = HTMLResponse(pages.render(name, **context), status_code=status)
    response.headers.update(_NO_STORE)
    # The pages must never be framed (clickjacking the Allow button).
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


def _csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def _set_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/oauth",
    )


def _csrf_valid(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted) and hmac.compare_digest(cookie or "", submitted or "")


async def _session_user(session: AsyncSession, request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    return await UserRepository(session).by_session_token(token) if token else None


async def _form(request: Request) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return []
    try:
        form = await request.form()
    except Exception:  # a malformed body is an empty request to OAuth, never a 500
        return []
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


def _error_page(result: OAuthResponse) -> Response:
    """Errors the client cannot be told about (unknown client, unregistered redirect URI)
    are shown to the user; the others go back to the client's redirect URI."""
    if result.status in (301, 302, 303):
        return _response(result)
    body = result.body if isinstance(result.body, dict) else {}
    return _html(
        "error",
        status=400,
        error=body.get("error", "invalid_request"),
        description=body.get("error_description", "The request is not valid."),
    )


def _validate(
    db: SyncSession, request: HubwireRequest, user: User | None
) -> tuple[OAuthResponse | None, Any]:
    """Authlib's validation of an authorization request: (error response, grant)."""
    server = HubwireAuthorizationServer(db)
    try:
        return None, server.get_consent_grant(request=request, end_user=user)
    except OAuth2Error as error:
        return server.handle_error_response(request, error), None


@router.get("/oauth/authorize")
async def authorize_page(request: Request, session: Session) -> Response:
    query = list(request.query_params.multi_items())
    oauth_request = HubwireRequest("GET", request.headers, query)
    user = await _session_user(session, request)
    failed, grant = await session.run_sync(_validate, oauth_request, user)
    if failed is not None:
        return _error_page(failed)
    csrf = _csrf(request)
    if user is None:
        next_url = f"/oauth/authorize?{urlencode(query)}"
        response = _html("login", csrf=csrf, next=next_url, email="", error=None)
    else:
        app: OAuthApp = grant.client
        workspace = await session.get(Workspace, user.workspace_id)
        scopes = [(s, SCOPES.get(s, s)) for s in grant.request.scope.split()]
        response = _html(
            "consent",
            app=app,
            workspace=workspace.name if workspace else user.workspace_id,
            email=user.email,
            scopes=scopes,
            params=query,
            csrf=csrf,
        )
    _set_csrf(request, response, csrf)
    return response


@router.post("/oauth/authorize")
async def authorize_decision(request: Request, session: Session) -> Response:
    pairs = await _form(request)
    form = dict(pairs)
    if not _csrf_valid(request, form.get("csrf_token")):
        return _html(
            "error",
            403,
            error="invalid_request",
            description="The form expired; go back and retry.",
        )
    user = await _session_user(session, request)
    if user is None:
        return _html("error", 401, error="login_required", description="Log in again, then retry.")
    decision = form.get("decision")
    if decision not in ("allow", "deny"):
        return _html("error", 400, error="invalid_request", description="Choose Allow or Deny.")
    params = [(k, v) for k, v in pairs if k not in _FORM_ONLY]
    oauth_request = HubwireRequest("POST", request.headers, params)

    def work(db: SyncSession) -> OAuthResponse:
        failed, grant = _validate(db, oauth_request, user)
        if failed is not None:
            return failed
        server = HubwireAuthorizationServer(db)
        allowed = decision == "allow"
        result: OAuthResponse = server.create_authorization_response(
            request=oauth_request, grant_user=user if allowed else None, grant=grant
        )
        if allowed and result.status == 302:
            _remember_consent(db, user, grant.client, grant.request.scope.split())
        return result

    return _error_page(await session.run_sync(work))


def _remember_consent(db: SyncSession, user: User, app: OAuthApp, scopes: list[str]) -> None:
    consent = db.scalar(select(Consent).where(Consent.user_id == user.id, Consent.app_id == app.id))
    if consent is None:
        db.add(
            Consent(
                user_id=user.id,
                app_id=app.id,
                workspace_id=user.workspace_id,
                scopes=sorted(set(scopes)),
            )
        )
    else:
        previous = [] if consent.revoked_at is not None else consent.scopes
        consent.scopes = sorted(set(previous) | set(scopes))
        consent.revoked_at = None
    db.flush()


@router.post("/oauth/login")
async def login_form(request: Request, session: Session) -> Response:
    form = dict(await _form(request))
    next_url = form.get("next", "")
    if not next_url.startswith("/oauth/authorize?"):
        next_url = "/oauth/authorize"  # never an open redirect
    email = form.get("email", "")
    csrf = _csrf(request)
    if not _csrf_valid(request, form.get("csrf_token")):
        error, status = "The form expired; please try again.", 403
    else:
        try:
            return await browser_login(
                request,
                session,
                email=email,
                password=form.get("password", ""),
                redirect_to=next_url,
            )
        except (Unauthorized, RateLimited) as exc:
            error, status = exc.message, exc.status
    page = _html("login", status, csrf=csrf, next=next_url, email=email, error=error)
    _set_csrf(request, page, csrf)
    return page


@router.post("/oauth/token")
async def token(request: Request, session: Session) -> Response:
    oauth_request = HubwireRequest("POST", request.headers, [], await _form(request))
    result = await session.run_sync(
        lambda db: HubwireAuthorizationServer(db).create_token_response(oauth_request)
    )
    return _response(result)


@router.post("/oauth/revoke")
async def revoke(request: Request, session: Session) -> Response:
    oauth_request = HubwireRequest("POST", request.headers, [], await _form(request))
    result = await session.run_sync(
        lambda db: HubwireAuthorizationServer(db).create_endpoint_response(
            "revocation", oauth_request
        )
    )
    return _response(result)


@router.post("/oauth/introspect")
async def introspect(request: Request, session: Session) -> Response:
    oauth_request = HubwireRequest("POST", request.headers, [], await _form(request))
    result = await session.run_sync(
        lambda db: HubwireAuthorizationServer(db).create_endpoint_response(
            "introspection", oauth_request
        )
    )
    return _response(result)
