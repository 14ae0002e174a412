"""The front door and the API docs: served from the package, not a CDN; liveness without a
key."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.apidocs.endpoints import ASSETS, assets_built
from core.settings import Settings
from tests.oauth.test_consent_browser import _chromium
from tests.support.live_server import live_server

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module", autouse=True)
def built_assets() -> None:
    if not assets_built():
        # A fresh clone tested with plain pytest: fetch Swagger UI and Redoc as `make` would.
        subprocess.run(["make", "apidocs-assets"], cwd=ROOT, check=True, timeout=600)


def _scripts_and_styles(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize(
    ("page", "bundle"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
async def test_the_docs_load_every_script_from_this_server(
    http: httpx.AsyncClient, page: str, bundle: str
) -> None:
    answer = await http.get(page)
    assert answer.status_code == 200
    links = _scripts_and_styles(answer.text)
    assert f"/docs/assets/{bundle}" in links
    assert not [link for link in links if link.startswith(("http://", "https://", "//"))], links
    assert "fonts.googleapis.com" not in answer.text
    for link in links:
        asset = await http.get(link)
        assert asset.status_code == 200, link
        assert asset.content, link


async def test_only_the_built_assets_are_served(http: httpx.AsyncClient) -> None:
    for name in ASSETS:
        assert (await http.get(f"/docs/assets/{name}")).status_code == 200
    for path in ("/docs/assets/package.json", "/docs/assets/..%2Fendpoints.py", "/docs/assets/x"):
        answer = await http.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "NOT_FOUND"


async def test_the_root_leads_a_browser_to_the_docs_and_a_program_to_the_links(
    http: httpx.AsyncClient,
) -> None:
    browser = await http.get("/", headers={"Accept": "text/html,*/*"})
    assert browser.status_code == 307
    assert browser.headers["location"] == "/docs"
    program = await http.get("/", headers={"Accept": "application/json"})
    assert program.status_code == 200
    links = program.json()
    assert links["docs"] == "/docs" and links["openapi"] == "/openapi.json"
    assert (await http.get(links["health"])).status_code == 200


async def test_liveness_needs_no_key(http: httpx.AsyncClient) -> None:
    answer = await http.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "x-request-id" in answer.headers
    # The authenticated check still needs a key.
    assert (await http.get("/v1/health")).status_code == 401


async def test_swagger_ui_and_redoc_render_with_the_internet_cut_off(settings: Settings) -> None:
    """A real browser whose every request off this machine fails, as behind a firewall:
    both pages still render the API's operations, and no script, style sheet, font or data
    is even asked for elsewhere (Redoc's bundle links its vendor's logo, an image: it fails
    and nothing else does)."""
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine")
    from playwright.async_api import async_playwright

    with live_server(settings) as base:
        async with async_playwright() as pw:
            chromium = await pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                page = await chromium.new_page()
                outside: list[str] = []

                async def only_this_server(route: Any) -> None:
                    if route.request.url.startswith(base):
                        await route.continue_()
                        return
                    if route.request.resource_type != "image":
                        outside.append(route.request.url)
                    await route.abort()

                await page.route("**/*", only_this_server)
                await page.goto(f"{base}/docs")
                await page.wait_for_selector(".opblock", timeout=60_000)
                assert await page.locator(".opblock").count() > 20
                await page.goto(f"{base}/redoc")
                await page.wait_for_selector("h1", timeout=60_000)
                assert "Hubwire API" in await page.locator("h1").first.inner_text()
                assert await page.get_by_text("List leads").count() > 0
                assert outside == []
            finally:
                await chromium.close()
