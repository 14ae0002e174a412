from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from core.deps import Session, client_ip, on_loop, services_of
from core.listing import resource_response
from core.query_params import refuse_unknown_query_parameters
from core.responses import JsonResponse
from oauth.deps import SESSION_COOKIE, ActingUser, UserPrincipal
from oauth.users.schemas import (
    ChangePasswordRequest,
    LoginRequest,
    MeOut,
    RefreshRequest,
    TokenResponse,
    UserOut,
)
from oauth.users.service import LoginResult, users

router = APIRouter(prefix="/v1", tags=["Authentication"])

_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Wrong credentials."},
    429: {"description": "Too many attempts."},
}


def _token_response(result: LoginResult) -> JsonResponse:
    body = TokenResponse(
        access_token=result.access_token,
        refresh_token=result.refresh_token,
        expires_in=result.expires_in,
        user=UserOut.model_validate(result.user),
    )
    response = JsonResponse(body.model_dump(mode="json", by_alias=True))
    response.headers["Cache-Control"] = "no-store"
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=12 * 3600,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )


async def browser_login(
    request: Request, session: Session, *, email: str, password: str, redirect_to: str
) -> Response:
    """Logs a person in from a browser form (the consent pages, the dashboard): a redirect to
    ``redirect_to`` carrying the session cookie. Raises ``Unauthorized`` or ``RateLimited``
    for the caller to show on its form."""
    services = services_of(request)
    result = await users.login(
        session,
        limiter=services.limiter if services.settings.rate_limit_enabled else None,
        email=email,
        password=password,
        ip=client_ip(request),
    )
    response = RedirectResponse(redirect_to, status_code=303)
    set_session_cookie(request, response, result.session_token)
    return response


@router.post(
    "/auth/login",
    response_model=TokenResponse,
    summary="Log in with email and password",
    description=(
        "Returns an access token (for the API, with the user's role) and a refresh token, and "
        "sets a session cookie for the browser pages (the OAuth consent page). Limited to 10 "
        "attempts per minute per account and per IP address."
    ),
    responses=_ERRORS,
    dependencies=[Depends(on_loop(refuse_unknown_query_parameters))],  # as Access does elsewhere
)
async def login(session: Session, request: Request, body: LoginRequest) -> JsonResponse:
    services = services_of(request)
    result = await users.login(
        session,
        limiter=services.limiter if services.settings.rate_limit_enabled else None,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
    )
    response = _token_response(result)
    set_session_cookie(request, response, result.session_token)
    return response


@router.post(
    "/auth/refresh",
    response_model=TokenResponse,
    summary="Exchange a refresh token for new tokens (the old one stops working)",
    responses={401: _ERRORS[401]},
    dependencies=[Depends(on_loop(refuse_unknown_query_parameters))],
)
async def refresh(session: Session, body: RefreshRequest) -> JsonResponse:
    return _token_response(await users.refresh(session, refresh_token=body.refresh_token))


@router.post("/auth/logout", status_code=204, summary="Log out: end this login's tokens")
async def logout(session: Session, request: Request, principal: UserPrincipal) -> Response:
    bearer = request.headers.get("authorization", "").partition(" ")[2].strip()
    await users.logout(session, token=bearer or None)
    await users.logout(session, token=request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post(
    "/auth/change-password",
    status_code=204,
    summary="Change your password (ends every login; log in again)",
)
async def change_password(
    session: Session, principal: UserPrincipal, body: ChangePasswordRequest
) -> Response:
    assert principal.user_id is not None
    await users.change_password(
        session, user_id=principal.user_id, current=body.current_password, new=body.new_password
    )
    return Response(status_code=204)


@router.get(
    "/me",
    response_model=MeOut,
    summary="The person this credential acts for",
    description=(
        "For a user token from `POST /v1/auth/login`, or an OAuth access token a user "
        "authorized (apps such as Zapier use it as their connection test and label). API keys "
        "act for no person and get 403."
    ),
)
async def get_me(session: Session, principal: ActingUser) -> JsonResponse:
    return resource_response(MeOut, await users.me(session, principal))
