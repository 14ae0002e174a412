"""The login page and logging out: the OAuth server's browser login (``oauth.users``)
behind the dashboard's own form, back to the page asked for."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from core.deps import Session
from core.errors import RateLimited, Unauthorized
from dashboard.browser import PREFIX, CurrentViewer, Refused, check_csrf, render
from dashboard.pages.common import page_router
from oauth.deps import SESSION_COOKIE
from oauth.users.endpoints import browser_login
from oauth.users.service import users

router = page_router()


def _safe_next(value: str | None) -> str:
    """Only a dashboard path: the login is never an open redirect."""
    if value and value.startswith(PREFIX) and not value.startswith("//"):
        return value
    return PREFIX


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_safe_next(next), email="", error=None)


@router.post("/login")
async def login(request: Request, session: Session) -> Response:
    form = await request.form()
    target = _safe_next(str(form.get("next", "")))
    email = str(form.get("email", ""))
    try:
        await check_csrf(request)
    except Refused as exc:
        return render(request, "login.html", 403, next=target, email=email, error=exc.message)
    try:
        return await browser_login(
            request,
            session,
            email=email,
            password=str(form.get("password", "")),
            redirect_to=target,
        )
    except (Unauthorized, RateLimited) as exc:
        return render(
            request, "login.html", exc.status, next=target, email=email, error=exc.message
        )


@router.post("/logout")
async def logout(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    await users.logout(session, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
