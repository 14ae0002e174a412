"""The dashboard's routes over HTTP: login and redirects, CSRF, roles, and the secrets shown
once. The browser tests (test_browser.py) drive the same pages in Chromium."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from core.connections.models import Connection, SyncLog
from core.database import utcnow
from core.jobs.models import Job
from core.settings import ConnectorClient
from core.usage.models import UsageLog
from core.webhooks.models import Delivery, Webhook
from oauth.deps import SESSION_COOKIE
from tests.conftest import Api, Tenant
from tests.dashboard.conftest import Page
from tests.oauth.conftest import REDIRECT, Browser, Person, pkce, register_app
from tests.support.asgi import read_body
from tests.support.live_server import serve_asgi
from tests.support.processes import wait_for


async def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back(page: Page) -> None:
    response = await page.get("/dashboard/api-keys?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/login?next=%2Fdashboard%2Fapi-keys%3Fx%3D1"
    login = await page.get(response.headers["location"])
    assert login.status_code == 200
    assert 'name="next" value="/dashboard/api-keys?x=1"' in login.text
    assert '<label for="email">Email</label>' in login.text
    assert login.headers["cache-control"] == "no-store"
    assert login.headers["x-frame-options"] == "DENY"


async def test_an_htmx_request_without_a_session_is_told_to_redirect(page: Page) -> None:
    response = await page.client.post(
        "/dashboard/api-keys",
        headers={"HX-Request": "true", "HX-Current-URL": "/dashboard/webhooks"},
    )
    assert response.status_code == 204
    assert response.headers["hx-redirect"] == "/dashboard/login?next=%2Fdashboard%2Fwebhooks"


async def test_logging_in_with_the_form_sets_the_session_and_returns(
    page: Page, owner: Person
) -> None:
    await page.get("/dashboard/login")
    wrong = await page.post(
        "/dashboard/login",
        {"email": owner.email, "password": "not the password", "next": "/dashboard/webhooks"},
    )
    assert wrong.status_code == 401 and "incorrect" in wrong.text
    assert SESSION_COOKIE not in wrong.cookies
    response = await page.post(
        "/dashboard/login",
        {"email": owner.email, "password": owner.password, "next": "/dashboard/webhooks"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard/webhooks"
    assert response.cookies.get(SESSION_COOKIE, "").startswith("hwu_ss_")
    landed = await page.get("/dashboard/webhooks")
    assert landed.status_code == 200 and owner.email in landed.text
    out = await page.post("/dashboard/logout")
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/login"
    page.client.cookies.set(SESSION_COOKIE, response.cookies[SESSION_COOKIE])
    assert (await page.get("/dashboard")).status_code == 303  # the session ended


async def test_the_login_never_redirects_off_the_dashboard(page: Page, owner: Person) -> None:
    await page.get("/dashboard/login")
    for target in ("https://evil.example/", "//evil.example", "/oauth/authorize"):
        response = await page.post(
            "/dashboard/login", {"email": owner.email, "password": owner.password, "next": target}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/dashboard"


async def test_a_login_without_the_csrf_token_is_refused(page: Page, owner: Person) -> None:
    await page.get("/dashboard/login")
    response = await page.post(
        "/dashboard/login", {"email": owner.email, "password": owner.password}, csrf=False
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


async def test_posts_without_the_csrf_token_change_nothing(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    await page.login(owner)
    form = {"name": "forged", "client_id": tenant.client_id, "scopes": ["leads:read"]}
    forged = await page.post("/dashboard/api-keys", form, csrf=False)
    assert forged.status_code == 403 and "expired" in forged.text
    wrong = await page.client.post(
        "/dashboard/api-keys", data=form, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert wrong.status_code == 403
    listing = await page.get("/dashboard/api-keys")
    assert "forged" not in listing.text
    # htmx sends the token as a header instead of a form field.
    ok = await page.client.post(
        "/dashboard/api-keys", data=form, headers={"X-CSRF-Token": page.csrf}
    )
    assert ok.status_code == 201


async def test_an_owner_creates_a_key_seen_once_then_revokes_it(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    await page.login(owner)
    created = await page.post(
        "/dashboard/api-keys",
        {
            "name": "Reporting <key>",
            "client_id": tenant.client_id,
            "scopes": ["leads:read", "analytics:read"],
            "tier": "standard",
            "expires_in_days": "30",
            "environment": "test",
            "ip_allowlist": "127.0.0.1\n10.0.0.0/8",
        },
    )
    assert created.status_code == 201, created.text
    match = re.search(r'id="new-key" type="text" readonly value="(hw_test_[^"]+)"', created.text)
    assert match, created.text
    plaintext = match.group(1)
    assert "Reporting &lt;key&gt;" in created.text  # escaped
    listing = await page.get("/dashboard/api-keys")
    assert plaintext not in listing.text  # never rendered again
    key_id = plaintext.split("_")[2]
    assert f"hw_test_{key_id}_********" in listing.text
    row = re.search(rf'<tr id="key-key_{key_id}">.*?</tr>', listing.text, re.S)
    assert row and "leads:read" in row.group(0) and "analytics:read" in row.group(0)
    assert "standard" in row.group(0) and "active" in row.group(0)
    assert "127.0.0.1" in row.group(0) and "10.0.0.0/8" in row.group(0)
    # The key works on the API until it is revoked.
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert (await page.client.get("/v1/leads", headers=headers)).status_code == 200
    rotated = await page.post(f"/dashboard/api-keys/key_{key_id}/rotate")
    assert rotated.status_code == 200 and "rotated" in rotated.text
    fresh = re.search(r'id="new-key" type="text" readonly value="(hw_test_[^"]+)"', rotated.text)
    assert fresh and fresh.group(1) != plaintext and fresh.group(1).startswith(f"hw_test_{key_id}_")
    assert fresh.group(1) not in (await page.get("/dashboard/api-keys")).text
    # An expiry that is not a number of days is refused, not turned into "never".
    for wrong in ("-5", "30 days", "²"):
        refused = await page.post(
            "/dashboard/api-keys",
            {
                "name": "Bad expiry",
                "client_id": tenant.client_id,
                "scopes": ["leads:read"],
                "expires_in_days": wrong,
            },
        )
        assert refused.status_code == 422 and 'role="alert"' in refused.text, wrong
        assert "Bad expiry" not in (await page.get("/dashboard/api-keys")).text
    fresh_headers = {"Authorization": f"Bearer {fresh.group(1)}"}
    assert (await page.client.get("/v1/leads", headers=fresh_headers)).status_code == 200
    assert (await page.client.get("/v1/leads", headers=headers)).status_code == 200  # grace
    revoked = await page.post(f"/dashboard/api-keys/key_{key_id}/revoke")
    assert revoked.status_code == 200, revoked.text
    row = re.search(rf'<tr id="key-key_{key_id}">.*?</tr>', revoked.text, re.S)
    assert row and "revoked" in row.group(0) and "Revoke" not in row.group(0)
    assert (await page.client.get("/v1/leads", headers=headers)).status_code == 401


async def test_a_key_form_error_is_shown_on_the_page(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    await page.login(owner)
    response = await page.post(
        "/dashboard/api-keys", {"name": "no scopes", "client_id": tenant.client_id}
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "scopes" in response.text


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        received.append({"headers": dict(scope["headers"]), "body": body})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    with serve_asgi(app) as url:
        yield f"{url}/hook", received


async def test_an_owner_adds_a_webhook_and_sees_the_test_event_delivered(
    page: Page, owner: Person, receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = receiver
    await page.login(owner)
    created = await page.post(
        "/dashboard/webhooks",
        {"url": url, "events": ["lead.created", "call.ended"], "description": "CRM bridge"},
    )
    assert created.status_code == 201, created.text
    secret = re.search(r'id="new-secret" type="text" readonly value="(whsec_[^"]+)"', created.text)
    assert secret, created.text
    listing = await page.get("/dashboard/webhooks")
    assert secret.group(1) not in listing.text
    hook = re.search(r'id="webhook-(wh_[^"]+)"', listing.text)
    assert hook and "lead.created, call.ended" in listing.text
    # The catalog's descriptions show names as code, not as literal backticks.
    assert "A lead&#39;s status became <code>qualified</code>." in listing.text
    assert "`qualified`" not in listing.text
    sent = await page.post(f"/dashboard/webhooks/{hook.group(1)}/test")
    assert sent.status_code == 200 and "Test event sent: delivered." in sent.text
    log = re.search(r'<table class="deliveries">.*?</table>', sent.text, re.S)
    assert log and "webhook.test" in log.group(0) and "200" in log.group(0)
    # The card says why the delivery listed is not among the attempts counted.
    attempts_line = re.search(r'data-health="attempts">([^<]*)<', sent.text)
    assert attempts_line and attempts_line.group(1).startswith("0 succeeded, 0 failed")
    assert attempts_line.group(1).endswith("; below, 1 test event")
    assert received and b"webhook.test" in received[0]["body"]
    link = re.search(rf'href="(/dashboard/webhooks/{hook.group(1)}/deliveries/[^"]+)"', sent.text)
    assert link, sent.text
    detail = (await page.get(link.group(1))).text
    attempts = re.search(r'<table id="attempts">.*?</table>', detail, re.S)
    # The receiver's answer ("ok") is kept with the try.
    assert attempts and '<pre class="response-body">ok</pre>' in attempts.group(0)
    # The try's webhook-timestamp, as the receiver got it.
    stamp = re.search(r"<td data-webhook-timestamp>(\d+)</td>", attempts.group(0))
    sent_stamps = {
        headers[b"webhook-timestamp"].decode() for headers in (r["headers"] for r in received)
    }
    assert stamp and stamp.group(1) in sent_stamps, (stamp, sent_stamps)
    rotated = await page.post(f"/dashboard/webhooks/{hook.group(1)}/rotate-secret")
    new_secret = re.search(
        r'id="new-secret" type="text" readonly value="(whsec_[^"]+)"', rotated.text
    )
    assert new_secret and new_secret.group(1) != secret.group(1)
    assert new_secret.group(1) not in (await page.get("/dashboard/webhooks")).text


async def test_a_failed_delivery_can_be_retried(page: Page, owner: Person) -> None:
    await page.login(owner)
    created = await page.post(
        "/dashboard/webhooks", {"url": "http://127.0.0.1:9/closed", "events": ["*"]}
    )
    assert created.status_code == 201, created.text
    hook = re.search(r'id="webhook-(wh_[^"]+)"', created.text)
    assert hook
    sent = await page.post(f"/dashboard/webhooks/{hook.group(1)}/test")
    assert "Test event sent: failed" in sent.text
    retry = re.search(
        rf'action="(/dashboard/webhooks/{hook.group(1)}/deliveries/[^"]+/retry)"', sent.text
    )
    assert retry, sent.text
    retried = await page.post(retry.group(1))
    assert retried.status_code == 200 and "Delivery queued for retry." in retried.text


async def test_a_refused_webhook_url_is_explained(page: Page, owner: Person) -> None:
    await page.login(owner)
    response = await page.post("/dashboard/webhooks", {"url": "not a url", "events": ["*"]})
    assert response.status_code == 422 and 'role="alert"' in response.text


async def test_a_member_sees_no_admin_actions_and_gets_403(
    page: Page, member: Person, tenant: Tenant
) -> None:
    await page.login(member)
    overview = await page.get("/dashboard")
    assert overview.status_code == 200
    assert 'href="/dashboard/api-keys"' not in overview.text
    assert 'href="/dashboard/webhooks"' not in overview.text
    integrations = await page.get("/dashboard/integrations")
    assert integrations.status_code == 200
    assert "/dashboard/integrations/connect" not in integrations.text
    assert "Force sync" not in integrations.text and "HubSpot" in integrations.text
    for url in ("/dashboard/api-keys", "/dashboard/webhooks"):
        assert (await page.get(url)).status_code == 403
    for url, form in (
        ("/dashboard/api-keys", {"name": "x", "client_id": tenant.client_id, "scopes": ["*"]}),
        ("/dashboard/api-keys/key_x/revoke", {}),
        ("/dashboard/api-keys/key_x/rotate", {}),
        ("/dashboard/webhooks/wh_x/rotate-secret", {}),
        ("/dashboard/webhooks/wh_x/deliveries/msg_x/retry", {}),
        ("/dashboard/webhooks", {"url": "https://example.com", "events": ["*"]}),
        ("/dashboard/webhooks/wh_x/test", {}),
        ("/dashboard/integrations/connect", {"connector": "hubspot"}),
        ("/dashboard/integrations/conn_x/sync", {}),
        ("/dashboard/integrations/conn_x/pause", {}),
        ("/dashboard/oauth-apps", {"name": "x", "redirect_uris": "https://x.example/cb"}),
        ("/dashboard/oauth-apps/app_x/rotate-secret", {}),
    ):
        response = await page.post(url, form)
        assert response.status_code == 403, url
        assert "Only workspace owners and admins" in response.text


async def test_the_overview_and_usage_pages_count_the_workspace(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    key = await tenant.key(["leads:read"])
    for _ in range(3):
        await page.client.get("/v1/leads", headers={"Authorization": f"Bearer {key}"})
    await page.client.get("/v1/calls", headers={"Authorization": f"Bearer {key}"})  # 403
    await page.login(owner)

    async def requests_today() -> int:
        figures = await page.get("/dashboard/overview/figures")
        found = re.search(r'id="fig-requests">(\d+)<', figures.text)
        return int(found.group(1)) if found else 0

    async def flushed() -> bool:
        return await requests_today() >= 4

    await wait_for(flushed, within=10, what="the four API requests in the figures")
    # Exactly the API's four: the dashboard's own pages (these polls too) are not usage.
    assert await requests_today() == 4
    overview = await page.get("/dashboard")
    assert 'hx-trigger="every 30s"' in overview.text
    assert 'id="fig-appointments">0<' in overview.text
    booker = await tenant.key(["appointments:write"])
    booked = await page.client.post(
        "/v1/appointments",
        json={"startsAt": "2030-01-08T14:00:00Z", "endsAt": "2030-01-08T14:30:00Z"},
        headers={"Authorization": f"Bearer {booker}"},
    )
    assert booked.status_code == 201, booked.text
    assert 'id="fig-payments">0<' in overview.text
    payer = await tenant.key(["payments:write"])
    paid = await page.client.post(
        "/v1/payments",
        json={"amount": 4900, "currency": "EUR"},
        headers={"Authorization": f"Bearer {payer}"},
    )
    assert paid.status_code == 201, paid.text
    figures = await page.get("/dashboard/overview/figures")
    assert 'id="fig-appointments">1<' in figures.text
    assert 'id="fig-payments">1<' in figures.text
    usage = await page.get("/dashboard/usage")
    assert usage.status_code == 200 and 'id="usage-endpoint-chart"' in usage.text
    assert 'id="usage-status-chart"' in usage.text


async def test_static_files_are_served_and_nothing_outside(page: Page) -> None:
    script = await page.get("/dashboard/static/dashboard.js")
    assert script.status_code == 200 and "data-copy" in script.text
    assert (await page.get("/dashboard/static/../plugin.py")).status_code == 404
    assert (await page.get("/dashboard/static/%2e%2e/plugin.py")).status_code == 404


async def test_an_admin_registers_an_oauth_app_with_its_secret_shown_once(
    page: Page, owner: Person
) -> None:
    await page.login(owner)
    created = await page.post(
        "/dashboard/oauth-apps",
        {
            "name": "Partner <CRM>",
            "client_type": "confidential",
            "redirect_uris": "https://partner.example/callback",
            "scopes": ["leads:read", "leads:write"],
            "tier": "standard",
        },
    )
    assert created.status_code == 201, created.text
    secret = re.search(r'id="new-client-secret" type="text" readonly value="([^"]+)"', created.text)
    app_id = re.search(r'id="new-client-id">(app_[^<]+)<', created.text)
    assert secret and app_id and "Partner &lt;CRM&gt;" in created.text
    listing = await page.get("/dashboard/oauth-apps")
    assert secret.group(1) not in listing.text and app_id.group(1) in listing.text
    rotated = await page.post(f"/dashboard/oauth-apps/{app_id.group(1)}/rotate-secret")
    fresh = re.search(r'id="new-client-secret" type="text" readonly value="([^"]+)"', rotated.text)
    assert fresh and fresh.group(1) != secret.group(1)
    refused = await page.post(
        "/dashboard/oauth-apps",
        {"name": "x", "redirect_uris": "https://x.example/cb", "scopes": ["nope:read"]},
    )
    assert refused.status_code == 422 and 'role="alert"' in refused.text


async def test_a_member_reviews_and_revokes_the_apps_they_authorized(
    page: Page, member: Person, api: Api, http: httpx.AsyncClient
) -> None:
    app = await register_app(api, name="Zap <Runner>")
    browser = Browser(http)
    await browser.login(member)
    _, challenge = pkce()
    params = {
        "response_type": "code",
        "client_id": app["clientId"],
        "redirect_uri": REDIRECT,
        "scope": "leads:read",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    assert (await browser.authorize(params)).status_code == 302
    await page.login(member)
    listing = await page.get("/dashboard/authorized-apps")
    assert listing.status_code == 200 and "Zap &lt;Runner&gt;" in listing.text
    consent = re.search(r'action="(/dashboard/authorized-apps/[^"]+/revoke)"', listing.text)
    assert consent
    revoked = await page.post(consent.group(1))
    assert revoked.status_code == 200 and "Access revoked." in revoked.text
    assert "Zap &lt;Runner&gt;" not in revoked.text
    assert (await page.get("/dashboard/oauth-apps")).status_code == 403


async def test_an_owner_cannot_touch_another_workspace(
    page: Page, owner: Person, make_tenant: Callable[[], Awaitable[Tenant]]
) -> None:
    other = await make_tenant()
    key = await other.key(["leads:read"])
    key_id = "key_" + key.split("_")[2]
    await page.login(owner)
    response = await page.post(f"/dashboard/api-keys/{key_id}/revoke")
    assert response.status_code == 404 and 'id="problem"' in response.text
    assert key_id not in (await page.get("/dashboard/api-keys")).text
    headers = {"Authorization": f"Bearer {key}"}
    assert (await page.client.get("/v1/leads", headers=headers)).status_code == 200
    assert (await page.get("/dashboard/jobs/job_nope")).status_code == 404


async def test_an_owner_edits_a_webhook_reads_a_delivery_and_recovers(
    page: Page, owner: Person, receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    url, _received = receiver
    await page.login(owner)
    created = await page.post(
        "/dashboard/webhooks", {"url": "http://127.0.0.1:9/closed", "events": ["*"]}
    )
    hook = re.search(r'id="webhook-(wh_[^"]+)"', created.text)
    assert hook, created.text
    hook_id = hook.group(1)
    sent = await page.post(f"/dashboard/webhooks/{hook_id}/test")
    assert "Test event sent: failed" in sent.text
    health = re.search(rf'<dl class="health" id="health-{hook_id}".*?</dl>', sent.text, re.S)
    # A test event does not count in the health (only real deliveries do).
    assert health and 'data-health="success-rate">no tries yet' in health.group(0)
    assert 'data-health="last-error">none' in health.group(0)
    link = re.search(rf'href="(/dashboard/webhooks/{hook_id}/deliveries/[^"]+)"', sent.text)
    assert link, sent.text
    detail = await page.get(link.group(1))
    assert detail.status_code == 200, detail.text
    headers = re.search(r'<table id="request-headers">.*?</table>', detail.text, re.S)
    assert (
        headers
        and "webhook-signature" in headers.group(0)
        and "X-Hubwire-Event" in headers.group(0)
    )
    assert "whsec_" not in detail.text  # no secret on the page
    body = re.search(r'<pre id="request-body"[^>]*>(.*?)</pre>', detail.text, re.S)
    assert body and "webhook.test" in body.group(1)
    attempts = re.search(r'<table id="attempts">.*?</table>', detail.text, re.S)
    assert attempts and "<td>1</td>" in attempts.group(0) and " ms</td>" in attempts.group(0)
    # Edit: point it at the receiver, narrow the events, describe it, disable it.
    edited = await page.post(
        f"/dashboard/webhooks/{hook_id}",
        {"url": url, "events": ["lead.created"], "description": "Moved <here>"},
    )
    assert edited.status_code == 200, edited.text
    card = re.search(rf'id="webhook-{hook_id}".*?</section>', edited.text, re.S)
    assert card and url in card.group(0) and "Moved &lt;here&gt;" in card.group(0)
    assert "Events: lead.created" in card.group(
        0
    ) and '<span class="tag">disabled</span>' in card.group(0)
    assert "Recover" not in card.group(0)  # only an active subscription recovers
    refused = await page.post(f"/dashboard/webhooks/{hook_id}", {"url": "nope", "events": ["*"]})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    active = await page.post(
        f"/dashboard/webhooks/{hook_id}",
        {"url": url, "events": ["*"], "description": "", "active": "on"},
    )
    assert '<span class="tag">active</span>' in active.text
    limits = re.search(rf'id="health-{hook_id}".*?</dl>', active.text, re.S)
    assert limits and 'data-health="circuit" class="">closed' in limits.group(0)
    assert "10 in flight, no throttle" in limits.group(0)  # the server's default
    limited = await page.post(
        f"/dashboard/webhooks/{hook_id}",
        {"url": url, "events": ["*"], "active": "on", "max_concurrency": "4", "max_rate": "2.5"},
    )
    assert "4 in flight, 2.5 per second" in limited.text
    too_many = await page.post(
        f"/dashboard/webhooks/{hook_id}",
        {"url": url, "events": ["*"], "active": "on", "max_concurrency": "500"},
    )
    assert too_many.status_code == 422 and "maxConcurrency may be at most 100" in too_many.text
    # One dead delivery of a real event (test events are never re-sent) to recover.
    async with page.services.db.session() as session:
        dead = Delivery(
            workspace_id=owner.workspace_id,
            webhook_id=hook_id,
            event_type="lead.created",
            url=url,
            payload='{"type":"lead.created"}',
            status="dead",
            attempts=3,
            next_attempt_at=None,
        )
        session.add(dead)
    recovered = await page.post(
        f"/dashboard/webhooks/{hook_id}/recover", {"since": "2020-01-01T00:00"}
    )
    assert recovered.status_code == 200, recovered.text
    assert "1 delivery queued again." in recovered.text
    async with page.services.db.session() as session:
        again = await session.get(Delivery, dead.id)
        assert again is not None and again.status != "dead"
    bad = await page.post(f"/dashboard/webhooks/{hook_id}/recover", {"since": "yesterday"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert (await page.get(f"/dashboard/webhooks/{hook_id}/deliveries/msg_nope")).status_code == 404


async def test_a_member_cannot_edit_recover_or_read_deliveries(page: Page, member: Person) -> None:
    await page.login(member)
    assert (await page.get("/dashboard/webhooks/wh_x/deliveries/msg_x")).status_code == 403
    for url, form in (
        ("/dashboard/webhooks/wh_x", {"url": "https://example.com", "events": ["*"]}),
        ("/dashboard/webhooks/wh_x/recover", {"since": "2020-01-01T00:00"}),
    ):
        response = await page.post(url, form)
        assert response.status_code == 403, url


async def _quiet_connection(page: Page, tenant: Tenant) -> str:
    """A paused connection with one pull logged today, made without the API (the worker
    never syncs a paused one, so the figures are exactly these)."""
    connection = Connection(
        workspace_id=tenant.id,
        connector="example_crm",
        name="Quiet <CRM>",
        status="paused",
        auth_type="api_key",
        push_routes={},
        settings={},
        field_mapping={},
        concurrency_limit=2,
        refresh_failures=0,
    )
    async with page.services.db.session() as session:
        session.add(connection)
        await session.flush()
        session.add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=tenant.id,
                kind="pull",
                object_type="contact",
                processed=7,
                failed=1,
                provider_calls=2,
                duration_ms=120,
                message="pulled 7 contacts",
            )
        )
        # A step with nothing to say in words still says what it did.
        session.add(
            SyncLog(
                connection_id=connection.id,
                workspace_id=tenant.id,
                kind="push",
                object_type="note",
                processed=3,
                provider_calls=1,
                duration_ms=40,
            )
        )
    return connection.id


async def test_a_connection_shows_metrics_a_chart_and_its_concurrency_limit(
    page: Page, owner: Person, member: Person, tenant: Tenant
) -> None:
    connection_id = await _quiet_connection(page, tenant)
    await page.login(owner)
    listing = await page.get("/dashboard/integrations")
    assert f'href="/dashboard/integrations/{connection_id}"' in listing.text
    detail = await page.get(f"/dashboard/integrations/{connection_id}")
    assert detail.status_code == 200, detail.text
    assert "Quiet &lt;CRM&gt;" in detail.text
    assert 'id="metric-pulled">7<' in detail.text and 'id="metric-failed">1<' in detail.text
    assert 'id="connection-chart"' in detail.text and "chart.umd.min.js" in detail.text
    series = re.search(r"data-series='([^']+)'", detail.text)
    assert series
    data = json.loads(html.unescape(series.group(1)))
    assert len(data["labels"]) == 14 and data["datasets"][1]["data"][-1] == 7
    table = re.search(r'<table id="period-stats">.*?</table>', detail.text, re.S)
    assert table and "<td>7</td>" in table.group(0)
    logs = re.search(r'<ul class="logs" id="connection-logs">.*?</ul>', detail.text, re.S)
    assert logs is not None
    assert "pull contact: 7 records, 1 failed, 2 provider calls, 120 ms; pulled 7 contacts" in (
        logs.group(0)
    )
    assert "push note: 3 records, 1 provider call, 40 ms<" in logs.group(0)
    assert '<label for="concurrency-limit">' in detail.text
    saved = await page.post(
        f"/dashboard/integrations/{connection_id}/concurrency", {"concurrency_limit": "5"}
    )
    assert saved.status_code == 200 and "Concurrency limit set to 5." in saved.text
    assert (
        'name="concurrency_limit" type="number" min="1" max="10" required value="5"' in saved.text
    )
    for wrong in ("11", "0", "many", "--5", "²"):
        refused = await page.post(
            f"/dashboard/integrations/{connection_id}/concurrency", {"concurrency_limit": wrong}
        )
        assert refused.status_code == 422 and 'role="alert"' in refused.text, wrong
    assert (await page.get("/dashboard/integrations/conn_nope")).status_code == 404
    # A member reads the figures but gets no form, and a 403 from the endpoint.
    await page.login(member)
    seen = await page.get(f"/dashboard/integrations/{connection_id}")
    assert seen.status_code == 200 and 'id="metric-pulled">7<' in seen.text
    assert "concurrency-form" not in seen.text
    denied = await page.post(
        f"/dashboard/integrations/{connection_id}/concurrency", {"concurrency_limit": "3"}
    )
    assert denied.status_code == 403


async def _log_usage(
    page: Page,
    tenant: Tenant,
    rows: list[tuple[str, int, int]],
    key_id: str | None = None,
    method: str = "GET",
) -> None:
    """(endpoint, status, count) rows of the tenant's client, logged now."""
    now = utcnow()
    async with page.services.db.session() as session:
        await session.execute(
            insert(UsageLog),
            [
                {
                    "timestamp": now,
                    "workspace_id": tenant.id,
                    "client_id": tenant.client_id,
                    "key_id": key_id,
                    "request_id": f"req_{method}_{endpoint}_{status}_{n}",
                    "method": method,
                    "endpoint": endpoint,
                    "status_code": status,
                    "response_time_ms": 12.0,
                }
                for endpoint, status, count in rows
                for n in range(count)
            ],
        )


async def test_usage_shows_endpoints_errors_429s_and_the_quota(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    await _log_usage(page, tenant, [("/v1/leads", 200, 3), ("/v1/calls", 403, 1)])
    await _log_usage(page, tenant, [("/v1/leads", 429, 2)])
    await page.login(owner)
    usage_page = await page.get("/dashboard/usage")
    assert usage_page.status_code == 200
    section = re.search(rf'id="usage-{tenant.client_id}".*?</section>', usage_page.text, re.S)
    assert section, usage_page.text
    text = section.group(0)
    assert 'data-usage="total">6<' in text and 'data-usage="limited">2<' in text
    assert 'data-usage="failed">3<' in text
    endpoints = re.search(r'<table class="by-endpoint">.*?</table>', text, re.S)
    assert endpoints and "<code>/v1/leads</code></td><td>5</td>" in endpoints.group(0)
    errors = re.search(r'<table class="top-errors">.*?</table>', text, re.S)
    assert errors and "<td>429</td><td>2</td>" in errors.group(0)
    assert "<td>403</td><td>1</td>" in errors.group(0)
    assert "<meter" in text and 'data-quota="warning"' not in text
    # Past 80% of the tier's daily quota (basic: 10,000) the page warns.
    await _log_usage(page, tenant, [("/v1/leads", 200, 8_000)])
    warned = await page.get("/dashboard/usage")
    section = re.search(rf'id="usage-{tenant.client_id}".*?</section>', warned.text, re.S)
    assert section and 'data-quota="warning"' in section.group(0)
    assert "80.1% of the daily quota of 10,000" in section.group(0)


async def test_the_quota_is_each_keys_own_not_the_clients_total(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    keys = [await tenant.key(["leads:read"], tier="basic", rate_limit_override=None)]
    keys.append(await tenant.key(["leads:read"], tier="basic", rate_limit_override=None))
    key_ids = ["key_" + key.split("_")[2] for key in keys]
    for key_id in key_ids:
        await _log_usage(page, tenant, [("/v1/leads", 200, 4_500)], key_id)
    await page.login(owner)

    async def client_section() -> str:
        listing = await page.get("/dashboard/usage")
        found = re.search(rf'id="usage-{tenant.client_id}".*?</section>', listing.text, re.S)
        assert found, listing.text
        return found.group(0)

    # 9,000 requests for the client, but each key has used 45 % of its own 10,000 a day.
    text = await client_section()
    assert 'data-usage="total">9000<' in text
    assert "4,500 of 10,000 requests (45.0%)" in text
    assert 'data-quota="warning"' not in text
    await _log_usage(page, tenant, [("/v1/leads", 201, 4_000)], key_ids[0])
    text = await client_section()
    assert "8,500 of 10,000 requests (85.0%)" in text
    assert 'data-quota="warning"' in text
    assert "85.0% of the daily quota of 10,000 requests is used by key “test key”" in text


def _series(text: str, canvas_id: str) -> dict[str, Any]:
    found = re.search(rf"<canvas id=\"{canvas_id}\"[^>]*data-series='([^']+)'", text)
    assert found, text
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


async def test_usage_charts_requests_per_hour_by_endpoint_and_by_status(
    page: Page, owner: Person, tenant: Tenant
) -> None:
    await _log_usage(
        page,
        tenant,
        [
            *(("/v1/leads", 200, 5), ("/v1/leads", 304, 1)),
            *(("/v1/calls", 403, 2), ("/v1/calls", 429, 3)),
            *(("/v1/chats", 500, 1), ("/v1/payments", 201, 1), ("/v1/webhooks", 200, 1)),
            *(("/v1/connections", 200, 1), ("/v1/jobs", 200, 1)),
        ],
    )
    await _log_usage(page, tenant, [("/v1/leads", 422, 1)], method="POST")
    await page.login(owner)
    usage_page = await page.get("/dashboard/usage")
    assert usage_page.status_code == 200
    text = usage_page.text
    # By endpoint: the six busiest (ties by name), then the other two together.
    endpoints = _series(text, "usage-endpoint-chart")
    assert endpoints["stacked"] is True and len(endpoints["labels"]) in (24, 25)
    totals = {d["label"]: sum(d["data"]) for d in endpoints["datasets"]}
    assert totals == {
        "GET /v1/leads": 6,
        "GET /v1/calls": 5,
        "GET /v1/chats": 1,
        "GET /v1/connections": 1,
        "GET /v1/jobs": 1,
        "GET /v1/payments": 1,
        "other": 2,
    }
    assert list(totals) == [d["label"] for d in endpoints["datasets"]]  # busiest first
    assert [d["data"][-1] for d in endpoints["datasets"]] == [6, 5, 1, 1, 1, 1, 2]  # this hour
    # By status class: 429 apart from the other 4xx.
    statuses = _series(text, "usage-status-chart")
    assert {d["label"]: d["data"][-1] for d in statuses["datasets"]} == {
        "2xx": 9,
        "3xx": 1,
        "4xx": 3,
        "429": 3,
        "5xx": 1,
    }
    # The text alternatives hold the same figures.
    table = re.search(r'<table id="usage-by-endpoint">.*?</table>', text, re.S)
    assert table, text
    assert '<th scope="col"><code>GET /v1/leads</code></th>' in table.group(0)
    assert (
        "<td>6</td><td>5</td><td>1</td><td>1</td><td>1</td><td>1</td><td>2</td><td>17</td>"
        in table.group(0)
    )
    assert 'data-endpoint-total="other">2<' in table.group(0)
    table = re.search(r'<table id="usage-by-status">.*?</table>', text, re.S)
    assert table and "<td>9</td><td>1</td><td>3</td><td>3</td><td>1</td><td>17</td>" in (
        table.group(0)
    )
    assert 'data-status-total="429">3<' in table.group(0)
    hours = re.search(r'<table id="usage-hours">.*?</table>', text, re.S)
    assert hours and "<td>17</td><td>7</td>" in hours.group(0)  # requests, errors
    assert "17 in all" in text
    # Seven days by hour: the same requests, on a longer axis.
    week = await page.get("/dashboard/usage?period=7d")
    assert '<option value="7d" selected>' in week.text
    weekly = _series(week.text, "usage-endpoint-chart")
    assert len(weekly["labels"]) in (168, 169)
    assert sum(sum(d["data"]) for d in weekly["datasets"]) == 17
    fallback = await page.get("/dashboard/usage?period=forever")
    assert fallback.status_code == 200 and '<option value="24h" selected>' in fallback.text


async def test_usage_without_requests_says_so(page: Page, owner: Person) -> None:
    await page.login(owner)
    empty = await page.get("/dashboard/usage")
    assert empty.status_code == 200
    assert _series(empty.text, "usage-endpoint-chart")["datasets"] == []
    assert "No requests in the last 24 hours." in empty.text


async def test_a_key_has_its_own_usage_chart_against_its_daily_limit(
    page: Page, owner: Person, member: Person, tenant: Tenant
) -> None:
    key = await tenant.key(["leads:read"], tier="basic", rate_limit_override=None)
    key_id = "key_" + key.split("_")[2]
    await _log_usage(page, tenant, [("/v1/leads", 200, 4), ("/v1/leads", 429, 1)], key_id)
    await _log_usage(page, tenant, [("/v1/leads", 200, 9)])  # another key: not counted
    await page.login(owner)
    listing = await page.get("/dashboard/api-keys")
    assert f'href="/dashboard/api-keys/{key_id}"' in listing.text
    detail = await page.get(f"/dashboard/api-keys/{key_id}")
    assert detail.status_code == 200, detail.text
    assert key not in detail.text and "********" in detail.text  # masked, never the secret
    assert 'id="key-usage-chart"' in detail.text
    table = re.search(r'<table id="key-usage">.*?</table>', detail.text, re.S)
    assert table and "<td>5</td><td>1</td><td>1</td>" in table.group(0)
    assert (
        "5 of 10,000 requests (0.1%)" in detail.text and 'data-quota="warning"' not in detail.text
    )
    assert (await page.get("/dashboard/api-keys/key_nope")).status_code == 404
    await page.login(member)
    assert (await page.get(f"/dashboard/api-keys/{key_id}")).status_code == 403


async def test_the_overview_alerts_on_disabled_webhooks_broken_connections_and_failed_jobs(
    page: Page, owner: Person, member: Person, tenant: Tenant
) -> None:
    await page.login(owner)
    calm = await page.get("/dashboard")
    assert 'id="no-alerts"' in calm.text
    created = await page.post(
        "/dashboard/webhooks", {"url": "https://example.com/hook", "events": ["*"]}
    )
    hook = re.search(r'id="webhook-(wh_[^"]+)"', created.text)
    assert hook
    connection_id = await _quiet_connection(page, tenant)
    async with page.services.db.session() as session:
        webhook = await session.get(Webhook, hook.group(1))
        assert webhook
        webhook.active, webhook.disabled_reason = False, "10 failures in a row"
        webhook.success_count, webhook.failure_count = 3, 1
        webhook.last_error = "HTTP 500"
        connection = await session.get(Connection, connection_id)
        assert connection
        connection.status, connection.last_error = "error", "token <revoked>"
        session.add(
            Job(
                workspace_id=tenant.id,
                type="connection.sync",
                status="failed",
                input={},
                error={"message": "provider down"},
                finished_at=utcnow(),
            )
        )
    figures = await page.get("/dashboard/overview/figures")
    alerts = re.search(r'<section class="alerts".*?</section>', figures.text, re.S)
    assert alerts, figures.text
    text = alerts.group(0)
    assert (
        "10 failures in a row" in text
        and f'href="/dashboard/webhooks#webhook-{hook.group(1)}"' in text
    )
    assert "Quiet &lt;CRM&gt; is in error: token &lt;revoked&gt;" in text
    assert "Job connection.sync" in text and "failed: provider down" in text
    listing = await page.get("/dashboard/webhooks")
    health = re.search(rf'id="health-{hook.group(1)}".*?</dl>', listing.text, re.S)
    assert health and 'data-health="success-rate">75.0%' in health.group(0)
    assert 'data-health="last-error">HTTP 500' in health.group(0)
    assert 'data-health="disabled-reason" class="status-failed">10 failures' in health.group(0)
    await page.login(member)
    seen = await page.get("/dashboard")
    member_alerts = re.search(r'<section class="alerts".*?</section>', seen.text, re.S)
    assert member_alerts and "10 failures in a row" in member_alerts.group(0)
    assert 'href="/dashboard/webhooks' not in member_alerts.group(0)  # no admin page links


async def test_a_broken_connection_can_be_reconnected_or_deleted(
    page: Page, owner: Person, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        page.services.settings.connector_clients,
        "hubspot",
        ConnectorClient(
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            base_url="https://hubspot.sandbox.test",
        ),
    )
    broken = Connection(
        workspace_id=tenant.id,
        connector="hubspot",
        name="Broken CRM",
        status="error",
        auth_type="oauth2",
        push_routes={},
        settings={},
        field_mapping={},
        concurrency_limit=2,
        refresh_failures=3,
    )
    async with page.services.db.session() as session:
        session.add(broken)
    await page.login(owner)
    listing = await page.get("/dashboard/integrations")
    assert 'aria-label="Reconnect Broken CRM" data-action="reconnect" class="primary"' in (
        listing.text
    )
    assert 'aria-label="Delete Broken CRM"' in listing.text

    # Reconnect sends the browser to the provider's consent, coming back to the dashboard.
    reconnect = await page.post(f"/dashboard/integrations/{broken.id}/reconnect", {})
    assert reconnect.status_code == 303, reconnect.text
    consent = reconnect.headers["location"]
    assert consent.startswith("https://hubspot.sandbox.test/oauth/authorize?")
    async with page.services.db.session() as session:
        row = await session.get(Connection, broken.id)
        assert row is not None and row.oauth_state_hash is not None
        assert row.redirect_after is not None and row.redirect_after.endswith(
            "/dashboard/integrations"
        )

    deleted = await page.post(f"/dashboard/integrations/{broken.id}/delete", {})
    assert deleted.status_code == 200 and "Deleted Broken CRM." in deleted.text
    assert f'id="connection-{broken.id}"' not in deleted.text
    async with page.services.db.session() as session:
        assert await session.get(Connection, broken.id) is None
