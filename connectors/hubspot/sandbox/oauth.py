"""OAuth: the consent page, the token endpoint and token metadata (``/oauth/...``)."""

from __future__ import annotations

import html
import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from connectors.hubspot.sandbox.deps import SandboxDep
from connectors.hubspot.sandbox.errors import ApiError

router = APIRouter()


def _oauth_error(status: str, message: str) -> JSONResponse:
    # HubSpot's token endpoint puts the error code in ``status`` (BAD_AUTH_CODE, ...).
    body = {"status": status, "message": message, "correlationId": str(uuid.uuid4())}
    return JSONResponse(body, status_code=400)


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
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}">'
        for k, v in fields.items()
    )
    action = html.escape(str(request.url_for("oauth_decide")), quote=True)
    page = (
        "<!doctype html><html><head><title>HubSpot sandbox: connect app</title></head>"
        f"<body><h1>Connect to portal {cfg.portal_id}</h1>"
        f"<p>App <code>{html.escape(client_id)}</code> asks for: "
        f"<code>{html.escape(scope) or '(no scopes)'}</code></p>"
        f'<form method="post" action="{action}">{hidden}'
        '<button type="submit" name="decision" value="approve">Approve</button> '
        '<button type="submit" name="decision" value="deny">Deny</button>'
        "</form></body></html>"
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


@router.post("/oauth/v1/token")
async def token(request: Request, sandbox: SandboxDep) -> JSONResponse:
    cfg, store = sandbox.config, sandbox.store
    form = await request.form()

    def get(key: str) -> str:
        return str(form.get(key, "") or "")

    oauth_app = cfg.app(get("client_id"))
    if oauth_app is None:
        return _oauth_error("BAD_CLIENT_ID", "missing or invalid client_id")
    if get("client_secret") != oauth_app.client_secret:
        return _oauth_error("BAD_CLIENT_SECRET", "missing or invalid client_secret")
    grant_type = get("grant_type")
    if grant_type == "authorization_code":
        code = store.spend_code(get("code"))
        if code is None or code.client_id != oauth_app.client_id:
            return _oauth_error("BAD_AUTH_CODE", "missing or unknown auth code")
        if code.redirect_uri != get("redirect_uri"):
            return _oauth_error("BAD_REDIRECT_URI", "redirect_uri does not match")
        access, refresh = store.issue_tokens(oauth_app.client_id, code.scopes, cfg.access_token_ttl)
    elif grant_type == "refresh_token":
        refresh = get("refresh_token")
        grant = store.refresh_grant(refresh)
        if grant is None or grant.client_id != oauth_app.client_id:
            return _oauth_error("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
        if cfg.rotate_refresh_tokens:
            # Spent under the store's lock: of two concurrent refreshes, one loses.
            successor = store.rotate_refresh_token(refresh)
            if successor is None:
                return _oauth_error("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
            refresh = successor
        access = store.issue_access_token(refresh, cfg.access_token_ttl)
        store.count_refresh()
    else:
        return _oauth_error(
            "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"
        )
    return JSONResponse(
        {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": cfg.access_token_ttl,
            "token_type": "bearer",
        }
    )


@router.get("/oauth/v1/access-tokens/{token}")
async def access_token_info(token: str, sandbox: SandboxDep) -> JSONResponse:
    cfg = sandbox.config
    grant = sandbox.store.access_grant(token)
    if grant is None or (grant.expires_at is not None and grant.expires_at <= cfg.clock()):
        raise ApiError(404, "access token not found or expired", "OBJECT_NOT_FOUND")
    oauth_app = cfg.app(grant.client_id)
    return JSONResponse(
        {
            "token": token,
            "hub_id": cfg.portal_id,
            "hub_domain": cfg.hub_domain,
            "user_id": 1,
            "user": "sandbox-user@hubwire.test",
            "app_id": oauth_app.app_id if oauth_app else 0,
            "scopes": list(grant.scopes),
            "token_type": "access",
            "expires_in": max(0, int((grant.expires_at or 0) - cfg.clock())),
        }
    )


@router.get("/oauth/v1/refresh-tokens/{token}")
async def refresh_token_info(token: str, sandbox: SandboxDep) -> JSONResponse:
    cfg = sandbox.config
    grant = sandbox.store.refresh_grant(token)
    if grant is None:
        raise ApiError(404, "refresh token not found", "OBJECT_NOT_FOUND")
    oauth_app = cfg.app(grant.client_id)
    return JSONResponse(
        {
            "token": token,
            "hub_id": cfg.portal_id,
            "user_id": 1,
            "user": "sandbox-user@hubwire.test",
            "client_id": grant.client_id,
            "scopes": list(grant.scopes),
            "token_type": "refresh",
            "app_id": oauth_app.app_id if oauth_app else 0,
        }
    )


@router.delete("/oauth/v1/refresh-tokens/{token}", status_code=204)
async def revoke_refresh_token(token: str, sandbox: SandboxDep) -> Response:
    if not sandbox.store.revoke_refresh_token(token):
        raise ApiError(404, "refresh token not found", "OBJECT_NOT_FOUND")
    return Response(status_code=204)
