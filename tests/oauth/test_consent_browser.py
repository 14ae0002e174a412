"""The consent page in headless Chromium: log in, approve, land on the redirect URI with a
code. Chromium comes from the machine's packages (Debian: `apt-get install chromium`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from core.settings import Settings
from tests.conftest import Api
from tests.oauth.conftest import REDIRECT, Person, pkce, register_app
from tests.support.live_server import live_server

CHROMIUM = "/usr/bin/chromium"


def _chromium() -> str | None:
    if not os.path.exists(CHROMIUM) and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, timeout=600)
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing and could not be installed (apt-get install chromium)")
    return None


async def test_a_person_logs_in_and_approves_in_a_real_browser(
    settings: Settings, api: Api, owner: Person
) -> None:
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine")
    from playwright.async_api import async_playwright

    app = await register_app(api, clientType="public", name="Zap <Runner>")
    _, challenge = pkce()
    with live_server(settings) as base:
        url = (
            f"{base}/oauth/authorize?response_type=code&client_id={app['clientId']}"
            f"&redirect_uri={REDIRECT}&scope=leads:read%20leads:write&state=xyz"
            f"&code_challenge={challenge}&code_challenge_method=S256"
        )
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            page = await browser.new_page()
            landed: list[str] = []

            async def capture(route: object) -> None:
                landed.append(route.request.url)  # type: ignore[attr-defined]
                await route.fulfill(status=200, body="ok")  # type: ignore[attr-defined]

            await page.route(f"{REDIRECT}*", capture)  # type: ignore[arg-type]
            await page.goto(url)
            await page.fill("#email", owner.email)
            await page.fill("#password", owner.password)
            await page.click("button[type=submit]")
            await page.wait_for_selector("#app-name")
            assert await page.inner_text("#app-name") == "Zap <Runner>"  # escaped, shown as text
            scopes = await page.inner_text("#scopes")
            assert "Read leads" in scopes and "Create and update leads" in scopes
            async with page.expect_request(lambda r: r.url.startswith(REDIRECT)) as request:
                await page.click("button[value=allow]")
            landed.append((await request.value).url)
            await browser.close()
    assert landed, "the browser never reached the redirect URI"
    query = parse_qs(urlsplit(landed[0]).query)
    assert query["state"] == ["xyz"] and query["code"][0].startswith("hwo_ac_")
