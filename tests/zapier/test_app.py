"""The Zapier app (zapier/app/, JavaScript) against a live Hubwire server: its definition
passes zapier-platform-schema's validation, and its jest suite drives every trigger,
action, search and the token refresh through zapier-platform-core's app tester."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core.container import Services
from core.settings import Settings
from oauth.deps import SESSION_COOKIE
from oauth.users.service import users
from tests.conftest import Api, Tenant
from tests.oauth.conftest import PASSWORD, REDIRECT, html_unescape, pkce, register_app
from tests.support.live_server import live_server

APP = Path(__file__).resolve().parents[2] / "zapier" / "app"
SCOPES = [
    "leads:read",
    "leads:write",
    "calls:read",
    "calls:write",
    "appointments:write",
    "payments:write",
    "chat:read",
    "chat:write",
    "events:read",
    "webhooks:write",
]
_install_lock = asyncio.Lock()


def _node() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm are needed for the Zapier app's tests")
        pytest.skip("node and npm are not installed")


async def _run(*args: str, env: dict[str, str] | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        *args,
        cwd=APP,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    async with asyncio.timeout(600):
        output, _ = await process.communicate()
    text = output.decode(errors="replace")
    assert process.returncode == 0, f"{' '.join(args)} failed:\n{text}"
    return text


async def _npm_dependencies() -> None:
    """Installs the app's locked npm dependencies once (`make test` on a fresh machine)."""
    async with _install_lock:
        if not (APP / "node_modules" / "zapier-platform-core").is_dir():
            await _run("npm", "ci", "--no-audit", "--no-fund")


async def test_the_app_definition_is_valid() -> None:
    _node()
    await _npm_dependencies()
    output = await _run("node", "validate.js")
    assert "is valid" in output


async def _oauth_tokens(base: str, services: Services, api: Api, tenant: Tenant) -> dict[str, str]:
    """An owner consents to a confidential app over HTTP; the code becomes tokens."""
    # Zapier calls in bursts: its app gets the enterprise tier (basic allows a burst of 10).
    app = await register_app(api, name="Zapier", scopes=SCOPES, rateLimitTier="enterprise")
    email = f"zap-{secrets.token_hex(4)}@example.com"
    async with services.db.session() as session:
        await users.create(
            session, workspace_id=tenant.id, email=email, password=PASSWORD, role="owner"
        )
        login = await users.login(session, limiter=None, email=email, password=PASSWORD, ip=None)
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(16)
    async with httpx.AsyncClient(base_url=base) as browser:
        browser.cookies.set(SESSION_COOKIE, login.session_token)
        page = await browser.get(
            "/oauth/authorize",
            params={
                "response_type": "code",
                "client_id": app["clientId"],
                "redirect_uri": REDIRECT,
                "scope": " ".join(SCOPES),
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert page.status_code == 200, page.text
        form = {
            k: html_unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)
        }
        form["decision"] = "allow"
        landed = await browser.post("/oauth/authorize", data=form)
        assert landed.status_code == 302, landed.text
        query = parse_qs(urlsplit(landed.headers["location"]).query)
        assert query["state"] == [state]
        token = await browser.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            auth=(app["clientId"], app["clientSecret"]),
        )
        assert token.status_code == 200, token.text
    body = token.json()
    return {
        "CLIENT_ID": app["clientId"],
        "CLIENT_SECRET": app["clientSecret"],
        "HUBWIRE_ACCESS_TOKEN": body["access_token"],
        "HUBWIRE_REFRESH_TOKEN": body["refresh_token"],
    }


async def test_the_app_against_a_live_server(
    settings: Settings, services: Services, api: Api, tenant: Tenant
) -> None:
    _node()
    await _npm_dependencies()
    with live_server(settings) as base:
        env = await _oauth_tokens(base, services, api, tenant)
        env["HUBWIRE_BASE_URL"] = base
        output = await _run("npx", "--no-install", "jest", "--runInBand", "--ci", env=env)
    assert "failed" not in output.lower().split("tests:")[-1], output
