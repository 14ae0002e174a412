"""The dashboard's browser plumbing: the session cookie turned into a person and a
``Principal``, CSRF (double-submit cookie), templates, and the HTML answers to errors.

Every dashboard route uses :class:`DashboardRoute`, so a missing login becomes a redirect
to the login page (and back), a refused role or CSRF token an HTML 403, and any
``HubwireError`` an HTML page with the error's status, never the JSON envelope."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.auth.scopes import role_scopes
from core.deps import Session
from core.errors import HubwireError
from core.plugins.auth import Principal
from core.settings import load
from core.workspaces.models import Workspace
from core.workspaces.status import refuse_unless_active
from oauth.deps import SESSION_COOKIE
from oauth.models import User
from oauth.users.repository import UserRepository

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
CSRF_COOKIE = "hubwire_dashboard_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
PREFIX = "/dashboard"
ADMIN_ROLES = ("owner", "admin")


class DashboardSettings(BaseSettings):
    """The dashboard's own settings (``HUBWIRE_DASHBOARD_*``)."""

    model_config = SettingsConfigDict(
        env_prefix="HUBWIRE_DASHBOARD_", env_file=".env", extra="ignore"
    )

    # How often the overview's figures refresh in the browser.
    refresh_seconds: int = Field(default=30, ge=1)


@lru_cache
def dashboard_settings() -> DashboardSettings:
    return load(DashboardSettings)


_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str | None) -> Markup:
    """Catalog descriptions are Markdown-ish (``lead.created``): their backticked names shown
    as code, everything else escaped."""
    escaped = str(escape(text or ""))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))  # noqa: S704 - escaped above


_templates.filters["code_spans"] = code_spans


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind the browser session, in their workspace."""

    user: User
    principal: Principal
    workspace_name: str

    @property
    def is_admin(self) -> bool:
        return self.user.role in ADMIN_ROLES


class LoginRequired(Exception):
    """No valid session cookie: the browser goes to the login page."""


class Refused(Exception):
    """A 403 the page explains (a member on an admin page, a stale CSRF token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (the cookie's, or a new one set on the response)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing:
        return existing
    token = getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Double submit: the form field (or the htmx header) must equal the cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else ""
    if not (cookie and submitted and hmac.compare_digest(cookie, submitted)):
        raise Refused("The form expired; reload the page and try again.")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("viewer", None)
    html = _templates.get_template(name).render(
        request=request, csrf=csrf_token(request), path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status)


async def _viewer(request: Request, session: Session) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    user = await UserRepository(session).by_session_token(token) if token else None
    if user is None:
        raise LoginRequired
    if request.method == "POST":
        await check_csrf(request)
    workspace = await session.get(Workspace, user.workspace_id)
    # A suspended workspace's sessions are refused as its API keys and tokens are.
    refuse_unless_active(user.workspace_id, workspace.status if workspace else None)
    principal = Principal(
        kind="user",
        id=user.id,
        workspace_id=user.workspace_id,
        client_id=None,
        scopes=role_scopes(user.role),
        tier="standard",
        rate_limit_override=None,
        environment="live",
        role=user.role,
        user_id=user.id,
    )
    return Viewer(user, principal, workspace.name if workspace else user.workspace_id)


async def _admin(viewer: Annotated[Viewer, Depends(_viewer)]) -> Viewer:
    if not viewer.is_admin:
        raise Refused("Only workspace owners and admins may open this page or do this.")
    return viewer


# Any logged-in person of the workspace; owners and admins only.
CurrentViewer = Annotated[Viewer, Depends(_viewer)]
AdminViewer = Annotated[Viewer, Depends(_admin)]


def _login_redirect(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += f"?{request.url.query}"
    if request.method != "GET" or request.headers.get("hx-request"):
        target = request.headers.get("hx-current-url") or PREFIX
        target = target if target.startswith(PREFIX) else PREFIX
    location = f"{PREFIX}/login?next={quote(target, safe='')}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


class DashboardRoute(APIRoute):
    """Turns the dashboard's refusals and domain errors into pages, and adds the browser
    headers every page needs (no caching: a created key lives only in its response)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired:
                response = _login_redirect(request)
            except Refused as exc:
                response = render(
                    request, "error.html", 403, title="Not allowed", message=exc.message
                )
            except HubwireError as exc:
                response = render(
                    request,
                    "error.html",
                    exc.status,
                    title="Something went wrong",
                    message=exc.message,
                )
            new_csrf = getattr(request.state, "new_csrf", None)
            if new_csrf is not None:
                response.set_cookie(
                    CSRF_COOKIE,
                    new_csrf,
                    httponly=True,
                    secure=request.url.scheme == "https",
                    samesite="strict",
                    path=PREFIX,
                )
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "frame-ancestors 'none'; form-action 'self' http: https:"
            )
            return response

        return guarded
