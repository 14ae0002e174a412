"""The dashboard in headless Chromium against a real `hubwire serve --demo` with the
provider sandboxes mounted (what `make run` starts): log in, create and revoke a key, add a
webhook and see its test event in the delivery log, connect the HubSpot sandbox through its
consent page and watch a forced sync reach 100%, and a member refused the admin pages.

Chromium comes from the machine's packages, as in tests/oauth/test_consent_browser.py.
With ``HUBWIRE_SCREENSHOTS=<dir>`` (``make screenshots``) the last test also saves a PNG of
each page there, the pages of one key, one connection and one delivery included."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from dashboard.browser import STATIC_DIR
from tests.core.test_cli import HUBWIRE
from tests.oauth.test_consent_browser import _chromium
from tests.support.asgi import read_body
from tests.support.live_server import serve_asgi
from tests.support.processes import demo_server, wait_for

MEMBER_EMAIL = "member@demo.hubwire.local"
MEMBER_PASSWORD = "a member's long password"
WAIT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Demo:
    base: str
    owner_email: str
    owner_password: str
    log: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("dashboard")
    with demo_server(root) as server:
        log = server.log
        login = re.search(r"Demo login:\s+(\S+)\s+/\s+(\S+)", log.read_text())
        assert login, log.read_text()
        subprocess.run(
            [
                *(HUBWIRE, "users", "create", "--workspace", "demo"),
                *("--email", MEMBER_EMAIL, "--role", "member", "--password", MEMBER_PASSWORD),
            ],
            cwd=root,
            env=server.env,
            check=True,
            capture_output=True,
        )
        yield Demo(server.base, login.group(1), login.group(2), log)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    if not (STATIC_DIR / "vendor" / "htmx.min.js").exists():
        # A fresh clone tested with plain pytest: fetch htmx and Chart.js as `make` would.
        await asyncio.to_thread(
            subprocess.run, ["make", "dashboard-assets"], cwd=ROOT, check=True, timeout=600
        )
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        await chromium.close()


async def _logged_in(browser: Any, demo: Demo, path: str, email: str, password: str) -> Any:
    """A fresh browser context that opens ``path``, is sent to the login page, logs in
    with the keyboard and lands back on ``path``."""
    context = await browser.new_context(base_url=demo.base)
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    await page.goto(path)
    assert "/dashboard/login?next=" in page.url
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_label("Password").press("Enter")
    await page.wait_for_url(f"{demo.base}{path}")
    return page


async def test_an_owner_creates_a_key_sees_it_once_and_revokes_it(browser: Any, demo: Demo) -> None:
    page = await _logged_in(
        browser, demo, "/dashboard/api-keys", demo.owner_email, demo.owner_password
    )
    await page.get_by_label("Name").fill("Browser key")
    await page.get_by_role("checkbox", name=re.compile(r"leads:read Read leads")).check()
    await page.get_by_label("Rate-limit tier").select_option("premium")
    await page.get_by_label("Expires after (days, empty for never)").fill("90")
    await page.get_by_label("test").check()
    await page.get_by_role("button", name="Create key").click()
    key_field = page.locator("#new-key")
    await key_field.wait_for()
    plaintext = await key_field.input_value()
    assert plaintext.startswith("hw_test_")
    await page.get_by_role("button", name="Copy").click()
    await page.get_by_role("button", name="Copied").wait_for()
    key_id = plaintext.split("_")[2]
    row = page.locator(f"#key-key_{key_id}")
    assert "premium" in await row.inner_text()

    await page.reload()
    assert await page.locator("#new-key").count() == 0
    assert plaintext not in await page.content()
    assert f"hw_test_{key_id}_********" in await row.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Revoke Browser key").click()
    await row.locator(".status-revoked").wait_for()
    assert await page.get_by_role("button", name="Revoke Browser key").count() == 0
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(
            f"{demo.base}/v1/leads", headers={"Authorization": f"Bearer {plaintext}"}
        )
    assert response.status_code == 401
    await page.context.close()


async def test_an_owner_adds_a_webhook_and_sees_its_test_event_in_the_log(
    browser: Any, demo: Demo
) -> None:
    received: list[bytes] = []

    async def receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        received.append(body)
        await send({"type": "http.response.start", "status": 202, "headers": []})
        await send({"type": "http.response.body", "body": b'{"queued": true}'})

    with serve_asgi(receiver) as url:
        page = await _logged_in(
            browser, demo, "/dashboard/webhooks", demo.owner_email, demo.owner_password
        )
        await page.get_by_label("Endpoint URL").fill(f"{url}/hubwire")
        await page.get_by_label("Description").fill("Browser receiver")
        await page.get_by_role("checkbox", name=re.compile(r"lead\.created A lead")).check()
        await page.get_by_role("button", name="Add subscription").click()
        secret = page.locator("#new-secret")
        await secret.wait_for()
        assert (await secret.input_value()).startswith("whsec_")
        await page.get_by_role("button", name=f"Send a test event to {url}/hubwire").click()
        log = page.locator("table.deliveries").first
        await log.locator("td", has_text="webhook.test").wait_for()
        assert "202" in await log.inner_text()
        assert "Test event sent: delivered." in await page.get_by_role("status").inner_text()
        # the secret is gone from the page once the log was refreshed
        assert await page.locator("#new-secret").count() == 0
        await page.context.close()
    assert received and b"webhook.test" in received[0]


async def test_an_owner_connects_the_hubspot_sandbox_and_forces_a_sync_to_100(
    browser: Any, demo: Demo
) -> None:
    page = await _logged_in(
        browser, demo, "/dashboard/integrations", demo.owner_email, demo.owner_password
    )
    await page.get_by_role("button", name="Connect HubSpot").click()
    # The sandbox's consent page, as HubSpot's would be.
    await page.wait_for_url(re.compile(r"/sandbox/hubspot/oauth/authorize"))
    await page.get_by_role("button", name="Approve").click()
    await page.wait_for_url(
        re.compile(r"/dashboard/integrations\?connection=conn_\w+&status=active")
    )
    assert "Connected." in await page.get_by_role("status").first.inner_text()
    row = page.locator("#connections tbody tr").first
    assert await row.locator("[data-status]").inner_text() == "active"

    await row.get_by_role("button", name=re.compile("^Test")).click()
    await page.locator(".test-result", has_text="Test passed").wait_for()

    await (
        page.locator("#connections tbody tr")
        .first.get_by_role("button", name=re.compile("^Force sync"))
        .click()
    )
    progress = page.locator(".job .percent")
    await progress.wait_for()
    await page.locator(".job .percent", has_text="100%").wait_for(timeout=WAIT_MS)
    assert await page.locator(".job progress").get_attribute("value") == "100"
    assert "succeeded" in await page.locator(".job label").inner_text()
    await page.reload()
    logs = page.locator("#connections details.logs").first
    await logs.locator("summary").press("Enter")  # opens with the keyboard
    assert "test" in await logs.inner_text()

    row = page.locator("#connections tbody tr").first
    await row.get_by_role("button", name=re.compile("^Pause")).click()
    await page.locator("[data-status=paused]").wait_for()
    await (
        page.locator("#connections tbody tr")
        .first.get_by_role("button", name=re.compile("^Resume"))
        .click()
    )
    await page.locator("[data-status=active]").wait_for()

    # The connection's page: metrics, the period chart drawn, the limit saved by keyboard.
    await page.locator("#connections tbody tr").first.get_by_role("link").click()
    # A selector, not wait_for_function: the page's CSP forbids the eval that one polls with.
    await page.locator("#connection-chart[data-drawn='1']").wait_for(state="attached")
    # The figures are the API's metrics of the same connection.
    connection_id = page.url.rsplit("/", 1)[1]
    async with _demo_api(demo) as http:
        metrics = (await http.get(f"/v1/connections/{connection_id}/metrics")).json()
    assert int(await page.locator("#metric-pulled").inner_text()) == metrics["recordsPulled"]
    assert int(await page.locator("#metric-pushed").inner_text()) == metrics["recordsPushed"]
    await page.get_by_label("Syncs at once with the provider").fill("4")
    await page.get_by_label("Syncs at once with the provider").press("Enter")
    await page.get_by_role("status").filter(has_text="Concurrency limit set to 4.").wait_for()
    await page.context.close()


async def test_a_member_sees_no_admin_actions_and_is_refused_the_admin_pages(
    browser: Any, demo: Demo
) -> None:
    page = await _logged_in(browser, demo, "/dashboard/integrations", MEMBER_EMAIL, MEMBER_PASSWORD)
    nav = page.get_by_role("navigation", name="Dashboard")
    assert await nav.get_by_role("link", name="API keys").count() == 0
    assert await nav.get_by_role("link", name="Webhooks").count() == 0
    assert await nav.get_by_role("link", name="OAuth apps").count() == 0
    assert await nav.get_by_role("link", name="Authorized apps").count() == 1
    assert await page.get_by_role("button", name=re.compile("^Connect")).count() == 0
    assert await page.get_by_role("button", name=re.compile("^Force sync")).count() == 0
    response = await page.goto("/dashboard/api-keys")
    assert response.status == 403
    assert "Only workspace owners and admins" in await page.locator("#problem").inner_text()
    await page.context.close()


@contextlib.asynccontextmanager
async def _demo_api(demo: Demo) -> AsyncIterator[httpx.AsyncClient]:
    """An API client with the demo key `hubwire serve --demo` printed."""
    key = re.search(r"Demo key:\s+(\S+)", demo.log.read_text())
    assert key, demo.log.read_text()
    headers = {"Authorization": f"Bearer {key.group(1)}"}
    async with httpx.AsyncClient(base_url=demo.base, headers=headers, timeout=10) as http:
        yield http


async def _demo_traffic(demo: Demo) -> int:
    """A few requests of the demo key to several endpoints with several outcomes, so the
    usage page's charts have something to stack; returns how many."""
    async with _demo_api(demo) as http:
        requests = [http.get("/v1/leads") for _ in range(6)]
        requests += [http.get("/v1/calls") for _ in range(3)]
        requests += [
            http.get("/v1/webhooks"),
            http.get("/v1/leads/lead_missing"),  # 404
            http.post("/v1/leads", json={"email": "not-an-email"}),  # 422
            http.post("/v1/leads", json={"name": "Screenshot lead"}),
        ]
        for request in requests:
            await request
        return len(requests)


async def _first_link(page: Any, path: str, selector: str) -> str | None:
    await page.goto(path)
    link = page.locator(selector).first
    return await link.get_attribute("href") if await link.count() else None


async def test_every_page_renders_and_screenshots(browser: Any, demo: Demo) -> None:
    """Each page in the browser; with HUBWIRE_SCREENSHOTS set, a PNG of each. The demo key
    has a usage page; one connection and one delivery exist once the tests above have run
    (as in `make screenshots`); run alone, this test skips those two pages."""
    target = os.environ.get("HUBWIRE_SCREENSHOTS")
    page = await _logged_in(browser, demo, "/dashboard", demo.owner_email, demo.owner_password)

    async def requests_today() -> int:
        figures = await (await page.request.get("/dashboard/overview/figures")).text()
        found = re.search(r'id="fig-requests">(\d+)<', figures)
        return int(found.group(1)) if found else 0

    counted = await requests_today()
    sent = await _demo_traffic(demo)
    await page.set_viewport_size({"width": 1280, "height": 900})
    pages = [
        ("overview", "/dashboard"),
        ("api-keys", "/dashboard/api-keys"),
        ("webhooks", "/dashboard/webhooks"),
        ("integrations", "/dashboard/integrations"),
        ("usage", "/dashboard/usage"),
        ("oauth-apps", "/dashboard/oauth-apps"),
        ("authorized-apps", "/dashboard/authorized-apps"),
    ]
    for name, path, selector in (
        ("api-key", "/dashboard/api-keys", 'a[aria-label^="Usage of Demo key"]'),
        ("connection", "/dashboard/integrations", 'a[href^="/dashboard/integrations/conn_"]'),
        # the test event the webhook test above sent, answered 202
        ("delivery", "/dashboard/webhooks", 'tr:has-text("webhook.test") a[href*="/deliveries/"]'),
    ):
        href = await _first_link(page, path, selector)
        assert href or not target, f"no {name} page to screenshot: run the whole file"
        if href:
            pages.append((name, href))

    # The demo key's requests reach the usage page once the recorder has flushed them.
    async def flushed() -> bool:
        return await requests_today() >= counted + sent

    await wait_for(flushed, within=30, what="the demo traffic in the usage figures")
    charts = {
        "usage": ("#usage-endpoint-chart", "#usage-status-chart"),
        "api-key": ("#key-usage-chart",),
        "connection": ("#connection-chart",),
    }
    for name, path in pages:
        response = await page.goto(path)
        assert response.status == 200, name
        await page.wait_for_load_state("networkidle")
        for chart in charts.get(name, ()):
            await page.locator(f"{chart}[data-drawn='1']").wait_for(state="attached")
        if target:
            await asyncio.to_thread(Path(target).mkdir, parents=True, exist_ok=True)
            await page.screenshot(path=str(Path(target) / f"dashboard-{name}.png"), full_page=True)
    await page.context.close()
