"""OAuth: the consent page and HubSpot's dated token API (``/oauth/2026-03/token``,
``/token/introspect``, ``/token/revoke``: parameters in the form body). The v1 endpoints
answer ``410`` as after their sunset (docs/connectors/hubspot.md, "Fidelity")."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from connectors.hubspot.sandbox.config import USER, USER_ID, OAuthApp
from connectors.hubspot.sandbox.deps import SandboxDep
from connectors.hubspot.sandbox.errors import ApiError
from connectors.hubspot.sandbox.state import Sandbox
from connectors.kit.sandboxes import consent_page

router = APIRouter()


# The dated OAuth API that replaces v1 (HubSpot's changelog "v1 OAuth API Deprecation").
OAUTH = "/oauth/2026-03"
V1_SUNSET = "2027-02-16"
# HubSpot's reason codes (``status``) and their RFC 6749 ``error`` on the dated endpoints.
RFC6749_ERRORS = {
    "BAD_CLIENT_ID": "invalid_client",
    "BAD_CLIENT_SECRET": "invalid_client",
    "BAD_AUTH_CODE": "invalid_grant",
    "BAD_REDIRECT_URI": "invalid_grant",
    "BAD_REFRESH_TOKEN": "invalid_grant",
    "BAD_GRANT_TYPE": "unsupported_grant_type",
    "BAD_REQUEST": "invalid_request",
}


class OAuthError(Exception):
    """A refused OAuth request: ``400`` with RFC 6749's ``error``/``error_description``
    next to HubSpot's ``status``/``message`` (changelog "New OAuth v3 API Endpoints and
    Standardized Error Responses")."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message

    def response(self) -> JSONResponse:
        body = {
            "error": RFC6749_ERRORS[self.status],
            "error_description": self.message,
            "status": self.status,
            "message": self.message,
            "correlationId": str(uuid.uuid4()),
        }
        return JSONResponse(body, status_code=400)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items()}


def _client(sandbox: Sandbox, form: dict[str, str]) -> OAuthApp:
    """The app authenticating with ``client_id`` and ``client_secret`` in the form body."""
    oauth_app = sandbox.config.app(form.get("client_id", ""))
    if oauth_app is None:
        raise OAuthError("BAD_CLIENT_ID", "missing or invalid client_id")
    if form.get("client_secret", "") != oauth_app.client_secret:
        raise OAuthError("BAD_CLIENT_SECRET", "missing or invalid client_secret")
    return oauth_app


@router.get("/oauth/authorize", response_class=HTMLResponse, name="oauth_authorize")
async def authorize(request: Request, sandbox: SandboxDep) -> HTMLResponse:
    cfg = sandbox.config
    q = request.query_params
    client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
    oauth_app = cfg.app(client_id)
    if oauth_app is None:
        return HTMLResponse("<h1>Unknown app</h1>", status_code=400)
    if not redirect_uri or (
        oauth_app.redirect_uris and redirect_uri not in oauth_app.redirect_uris
    ):
        return HTMLResponse("<h1>Redirect URI mismatch</h1>", status_code=400)
    scope = " ".join(filter(None, [q.get("scope", ""), q.get("optional_scope", "")]))
    fields = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scope}
    fields["state"] = q.get("state", "")
    page = consent_page(
        provider="HubSpot",
        account=f"portal {cfg.portal_id}",
        client_id=client_id,
        scope=scope,
        action=str(request.url_for("oauth_decide")),
        fields=fields,
    )
    return HTMLResponse(page)


@router.post("/oauth/authorize", name="oauth_decide")
async def decide(request: Request, sandbox: SandboxDep) -> Response:
    cfg, store = sandbox.config, sandbox.store
    form = await request.form()
    client_id, redirect_uri = str(form.get("client_id", "")), str(form.get("redirect_uri", ""))
    oauth_app = cfg.app(client_id)
    if oauth_app is None or (
        oauth_app.redirect_uris and redirect_uri not in oauth_app.redirect_uris
    ):
        return HTMLResponse("<h1>Invalid authorization request</h1>", status_code=400)
    params: dict[str, str] = {}
    if form.get("decision") == "approve":
        scopes = tuple(str(form.get("scope", "")).split())
        params["code"] = store.issue_code(client_id, redirect_uri, scopes, cfg.auth_code_ttl)
    else:
        params["error"] = "access_denied"
    if form.get("state"):
        params["state"] = str(form.get("state"))
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)


@router.post(OAUTH + "/token")
async def token(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """``authorization_code`` and ``refresh_token`` grants, parameters in the form body."""
    cfg, store = sandbox.config, sandbox.store
    form = await _form(request)
    try:
        oauth_app = _client(sandbox, form)
        grant_type = form.get("grant_type", "")
        if grant_type == "authorization_code":
            code = store.spend_code(form.get("code", ""))
            if code is None or code.client_id != oauth_app.client_id:
                raise OAuthError("BAD_AUTH_CODE", "missing or unknown auth code")
            if code.redirect_uri != form.get("redirect_uri"):
                raise OAuthError("BAD_REDIRECT_URI", "redirect_uri does not match")
            access, refresh = store.issue_tokens(
                oauth_app.client_id, code.scopes, cfg.access_token_ttl
            )
        elif grant_type == "refresh_token":
            refresh = _refresh(sandbox, oauth_app, form.get("refresh_token", ""))
            access = store.issue_access_token(refresh, cfg.access_token_ttl)
            store.count_refresh()
        else:
            raise OAuthError(
                "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"
            )
    except OAuthError as exc:
        return exc.response()
    grant = store.access_grant(access)
    return JSONResponse(
        {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": cfg.access_token_ttl,
            "token_type": "bearer",
            "token_use": "access_token",
            "hub_id": cfg.portal_id,
            "user_id": USER_ID,
            "scopes": list(grant.scopes) if grant else [],
        }
    )


def _refresh(sandbox: Sandbox, oauth_app: OAuthApp, token: str) -> str:
    """The refresh token to mint from: ``token`` itself (HubSpot's are reusable), or its
    successor when the sandbox rotates them."""
    grant = sandbox.store.refresh_grant(token)
    if grant is None or grant.client_id != oauth_app.client_id:
        raise OAuthError("BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked")
    if not sandbox.config.rotate_refresh_tokens:
        return token
    # Spent under the store's lock: of two concurrent refreshes, one loses.
    successor = sandbox.store.rotate_refresh_token(token)
    if successor is None:
        raise OAuthError("BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked")
    return successor


@router.post(OAUTH + "/token/introspect")
async def introspect(request: Request, sandbox: SandboxDep) -> JSONResponse:
    """An access or refresh token's metadata; an unknown, expired or revoked one (or one
    of another app) is ``{"active": false}`` with ``200``, as RFC 7662 has it."""
    cfg, store = sandbox.config, sandbox.store
    form = await _form(request)
    try:
        oauth_app = _client(sandbox, form)
    except OAuthError as exc:
        return exc.response()
    token = form.get("token", "")
    hint = form.get("token_type_hint", "")
    access = store.access_grant(token) if hint != "refresh_token" else None
    refresh = store.refresh_grant(token) if access is None and hint != "access_token" else None
    grant = access or refresh
    if (
        grant is None
        or grant.client_id != oauth_app.client_id
        or (grant.expires_at is not None and grant.expires_at <= cfg.clock())
    ):
        return JSONResponse({"active": False})
    body: dict[str, object] = {
        "active": True,
        "token": token,
        "client_id": grant.client_id,
        "app_id": oauth_app.app_id,
        "hub_id": cfg.portal_id,
        "hub_domain": cfg.hub_domain,
        "user_id": USER_ID,
        "user": USER,
        "scopes": list(grant.scopes),
    }
    kind = "access" if access is not None else "refresh"
    body.update(token_type=kind, token_use=f"{kind}_token")
    if access is not None:
        body["expires_in"] = max(0, int((grant.expires_at or 0) - cfg.clock()))
    return JSONResponse(body)


@router.post(OAUTH + "/token/revoke")
async def revoke(request: Request, sandbox: SandboxDep) -> Response:
    """Revokes a refresh token (it replaces v1's ``DELETE /refresh-tokens/{token}``); an
    unknown token is no error, as RFC 7009 has it."""
    form = await _form(request)
    try:
        oauth_app = _client(sandbox, form)
    except OAuthError as exc:
        return exc.response()
    token = form.get("token", "")
    grant = sandbox.store.refresh_grant(token)
    if grant is not None and grant.client_id == oauth_app.client_id:
        sandbox.store.revoke_refresh_token(token)
    return Response(status_code=200)


@router.api_route("/oauth/v1/{rest:path}", methods=["GET", "POST", "DELETE"])
async def sunset_v1(rest: str) -> JSONResponse:
    """Every v1 OAuth endpoint answers as after HubSpot switches them off (2027-02-16)."""
    raise ApiError(
        410,
        f"The OAuth v1 API was sunset on {V1_SUNSET}; use {OAUTH}/token, "
        f"{OAUTH}/token/introspect and {OAUTH}/token/revoke.",
        "GONE",
    )
